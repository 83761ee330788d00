import type { AccessMap, Role } from '../../../shared/modules';
import type { Db } from '../../db/client';
import { announceTableChanges, noteTablesChanged } from '../../db/table-changes';
import type { AuthMethod } from '../audit/audit.table';
import type { SecretBox } from '../auth/crypto';
import type { EntityRegistry } from '../entities/registry';

/** Who is acting. Every service call and every audit row knows this. */
export type Actor =
  | {
      kind: 'user';
      id: string;
      label: string;
      role: Role;
      authMethod: Extract<AuthMethod, 'session' | 'api_token'>;
      access: AccessMap;
      sessionId?: string;
      apiTokenId?: string;
    }
  | { kind: 'system'; label: string }
  | { kind: 'anonymous' };

export interface RequestMeta {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/**
 * What every service function receives first. `db` is the open transaction inside
 * `inTransaction`, else the pool; `afterCommit` queues work to run once the transaction commits.
 */
export interface ServiceContext {
  db: Db;
  actor: Actor;
  meta: RequestMeta;
  afterCommit: (task: () => void) => void;
  /**
   * Seals secrets stored on records (a licence key) with the server's key. Request contexts carry
   * it; a system context without it cannot write or read such secrets.
   */
  secretBox?: SecretBox;
  /** The entity registry, for services that reach records of any type (evidence, links). */
  registry?: EntityRegistry;
  /**
   * Inside `inTransaction`: the tables the write path changed, announced when the transaction
   * commits so that list totals counted before are forgotten (see db/table-changes.ts).
   */
  changedTables?: Set<string>;
}

export const SYSTEM_META: RequestMeta = { requestId: null, ip: null, userAgent: null };

export function systemActor(label: string): Actor {
  return { kind: 'system', label };
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.id : null;
}

/**
 * Runs `fn` in one transaction. Everything `fn` writes, including audit rows, commits or rolls
 * back together; tasks queued with `afterCommit` run only after a commit.
 */
export async function inTransaction<T>(
  ctx: Omit<ServiceContext, 'afterCommit'> & { afterCommit?: ServiceContext['afterCommit'] },
  fn: (tx: ServiceContext) => Promise<T>,
): Promise<T> {
  const tasks: Array<() => void> = [];
  // A nested transaction (a savepoint) reports into the outermost one, which announces on commit.
  const outermost = ctx.changedTables === undefined;
  const changedTables = ctx.changedTables ?? new Set<string>();
  const result = await ctx.db.transaction(async (tx) => {
    const value = await fn({ ...ctx, db: tx, changedTables, afterCommit: (task) => tasks.push(task) });
    if (outermost) await announceTableChanges(tx, changedTables);
    return value;
  });
  if (outermost) noteTablesChanged(changedTables);
  for (const task of tasks) {
    if (ctx.afterCommit) ctx.afterCommit(task);
    else task();
  }
  return result;
}
