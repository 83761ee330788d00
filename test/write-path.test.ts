import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every mutation goes through the write path (src/server/platform/audit/write.ts), which records
 * the audit row in the same transaction. This test reads the server's source and fails when any
 * other file inserts, updates or deletes rows directly.
 */

const SERVER = path.resolve(import.meta.dirname, '../src/server');

/** Files allowed to mutate directly, each for a reason that is not "somebody changed a record". */
const ALLOWED = new Map([
  ['platform/audit/write.ts', 'the write path itself'],
  ['platform/audit/chain.ts', 'appends seals to the audit chain'],
  ['platform/auth/actor-resolver.ts', 'last-seen bookkeeping and purging expired sessions'],
  [
    'domains/compliance/control-status.ts',
    'the derived status of each control, recomputed from audited evidence and never edited',
  ],
  ['platform/notifications/notifications.service.ts', 'messages to a person, and their read marks'],
  ['domains/compliance/drift.ts', 'photographs of those derived statuses, append-only, with who took them'],
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Finds Drizzle mutations (`db.insert(`, `tx.update(`, `ctx.db\n  .delete(`…) in a source text. */
function directMutations(source: string): string[] {
  const joined = source.replace(/\s*\n\s*\./g, '.');
  return [...joined.matchAll(/\b(?:db|tx|client)\.(insert|update|delete)\(/g)].map((m) => m[0]);
}

describe('the single write path', () => {
  it('recognises a direct mutation, however it is formatted', () => {
    expect(directMutations('await ctx.db.insert(users).values(x)')).toEqual(['db.insert(']);
    expect(directMutations('await tx\n    .update(users)\n    .set({})')).toEqual(['tx.update(']);
    expect(directMutations("createHash('sha256').update(value)")).toEqual([]);
  });

  it('is the only place that mutates tables', () => {
    const offenders = sourceFiles(SERVER)
      .map((file) => ({
        file: path.relative(SERVER, file),
        found: directMutations(readFileSync(file, 'utf8')),
      }))
      .filter(({ file, found }) => found.length > 0 && !ALLOWED.has(file.split(path.sep).join('/')));
    expect(offenders).toEqual([]);
  });
});
