/**
 * URL search strings as plain `key=value` pairs (no JSON encoding), so a shared list URL reads
 * like `?page=2&sort=-name&department=IT`. Every value comes back as a string.
 */
export function parseSearchString(search: string): Record<string, unknown> {
  const result: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) result[key] = value;
  return result;
}

export function stringifySearchParams(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, typeof value === 'string' ? value : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** List pages keep their state (page, sort, search, filters) as plain strings in the URL. */
export type ListSearch = Record<string, string | undefined>;
