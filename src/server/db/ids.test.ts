import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from './ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const millisOf = (id: string) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newId', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('makes RFC 9562 version 7 UUIDs stamped with the current millisecond', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(id).toMatch(UUID_V7);
    const millis = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(after);
  });

  it('keeps ids in creation order and never repeats one, across refills of its random pool', () => {
    // 10,000 ids draw 100,000 random bytes: the 4 KiB pool is refilled some 25 times.
    const ids = Array.from({ length: 10_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    // The random tails differ: a pool handed out twice would repeat them.
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
  });

  it('stays in order past 2,048 ids in one millisecond, and when the clock steps back', () => {
    const frozen = Date.now() + 60_000;
    const clock = vi.spyOn(Date, 'now').mockReturnValue(frozen);
    const burst = Array.from({ length: 6_000 }, () => newId());
    expect([...burst].sort()).toEqual(burst);
    expect(new Set(burst).size).toBe(burst.length);
    // The counter ran out at least once, so the timestamp moved on past the frozen clock.
    expect(millisOf(burst.at(-1)!)).toBeGreaterThan(frozen);
    expect(millisOf(burst[0]!)).toBe(frozen);
    clock.mockReturnValue(frozen - 5_000);
    const after = newId();
    expect(after > burst.at(-1)!).toBe(true);
  });
});
