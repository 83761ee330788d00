import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileJson } from './serializer';

/** The compiled serialiser keeps what zod's check guaranteed: only declared properties leave. */
describe('compiled response serialisers', () => {
  const record = z.object({
    id: z.uuid(),
    name: z.string(),
    managerId: z.uuid().nullable(),
    seats: z.number().int().nullable(),
    tags: z.array(z.object({ id: z.string(), name: z.string() })),
    customFields: z.record(z.string(), z.unknown()),
  });
  const serialize = compileJson(z.object({ data: z.array(record), total: z.number().int() }))!;
  const row = {
    id: '01a22730-923f-76a0-99ca-cb1f9c067cf5',
    name: 'Ada "the first" Lovelace',
    managerId: null,
    seats: 3,
    tags: [{ id: 't1', name: 'VIP', color: 'red' }],
    customFields: { costCenter: 'R&D', badge: 42 },
  };

  it('writes what JSON.stringify writes for a record that matches its schema', () => {
    const body = { data: [row, { ...row, managerId: row.id, seats: null }], total: 2 };
    const { tags: _tags, ...rest } = row;
    expect(JSON.parse(serialize(body))).toEqual({
      data: [
        { ...rest, tags: [{ id: 't1', name: 'VIP' }] },
        { ...rest, managerId: row.id, seats: null, tags: [{ id: 't1', name: 'VIP' }] },
      ],
      total: 2,
    });
  });

  it('leaves out properties the schema does not declare, at any depth', () => {
    const written = serialize({ data: [{ ...row, passwordHash: 'secret-hash' }], total: 1, token: 'x' });
    expect(written).not.toContain('secret-hash');
    expect(written).not.toContain('token');
    expect(written).not.toContain('color');
  });

  it('refuses a record that lacks a required property', () => {
    const { name: _name, ...nameless } = row;
    expect(() => serialize({ data: [nameless], total: 1 })).toThrow();
  });

  it('gives up on what JSON Schema cannot express, so that zod serialises it', () => {
    expect(compileJson(z.object({ at: z.date() }))).toBeUndefined();
    expect(compileJson('not a schema')).toBeUndefined();
  });
});
