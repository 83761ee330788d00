import { api } from './client';
import { collectionUrl, type ResourceDefinition } from './resources';
import type { BaseRecord, Page } from './types';

type AnyRecord = BaseRecord & Record<string, unknown>;
type Waiter = { resolve: (record: AnyRecord | null) => void; reject: (error: unknown) => void };

/** The most ids one list request takes (the API's page size limit). */
const BATCH = 200;
const pending = new Map<string, { definition: ResourceDefinition; waiters: Map<string, Waiter[]> }>();
let scheduled = false;

async function flush(): Promise<void> {
  scheduled = false;
  const batches = [...pending.values()];
  pending.clear();
  for (const { definition, waiters } of batches) {
    const ids = [...waiters.keys()];
    for (let start = 0; start < ids.length; start += BATCH) {
      const chunk = ids.slice(start, start + BATCH);
      try {
        const page = await api.get<Page<AnyRecord>>(collectionUrl(definition), {
          ids: chunk.join(','),
          pageSize: BATCH,
          archived: 'all',
        });
        const found = new Map(page.data.map((record) => [record.id, record]));
        for (const id of chunk)
          for (const waiter of waiters.get(id) ?? []) waiter.resolve(found.get(id) ?? null);
      } catch (error) {
        for (const id of chunk) for (const waiter of waiters.get(id) ?? []) waiter.reject(error);
      }
    }
  }
}

/**
 * A referenced record, for naming it where another record points at it. Every reference asked
 * for in the same moment (the cells of a list page, say) is fetched together: one request per
 * record type (`?ids=`), not one per cell. Null when it does not exist.
 */
export function loadReference(definition: ResourceDefinition, id: string): Promise<AnyRecord | null> {
  return new Promise((resolve, reject) => {
    const batch = pending.get(definition.path) ?? { definition, waiters: new Map<string, Waiter[]>() };
    pending.set(definition.path, batch);
    batch.waiters.set(id, [...(batch.waiters.get(id) ?? []), { resolve, reject }]);
    if (!scheduled) {
      scheduled = true;
      setTimeout(() => void flush(), 0);
    }
  });
}
