/**
 * JSON with object keys sorted at every depth and dates as ISO strings, so that the same
 * value always hashes and compares the same however it was built or read back from JSONB.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value));
}

export function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalize(v);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}
