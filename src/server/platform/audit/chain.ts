import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import { type Database, type Db, queryRows } from '../../db/client';
import { auditLog, auditSeal } from './audit.table';
import { canonicalJson } from './canonical';

/**
 * The tamper-evident chain over the audit log. Writers never wait for it: rows are inserted
 * unsealed inside their own transactions, and the sealer appends them to the chain shortly
 * afterwards, one sealer at a time (a transaction-scoped advisory lock).
 */

export const GENESIS_HASH = '0'.repeat(64);
const SEAL_LOCK_KEY = 0x0a0d17;
const SEAL_BATCH = 1000;

type AuditRow = typeof auditLog.$inferSelect;

export function hashAuditRow(previousHash: string, row: AuditRow): string {
  const content = canonicalJson([
    row.id,
    row.txId,
    row.occurredAt,
    row.actorId,
    row.actorLabel,
    row.authMethod,
    row.action,
    row.entityType,
    row.entityId,
    row.entityLabel,
    row.changes,
    row.ip,
    row.userAgent,
    row.requestId,
  ]);
  return createHash('sha256').update(previousHash).update('\n').update(content).digest('hex');
}

/**
 * The oldest transaction of this database that may still add audit rows: every audit row with a
 * smaller transaction id is committed (or rolled back and gone). From a snapshot (xmin:xmax:xip),
 * keeping only in-progress transactions that pg_stat_activity shows in this database, so a long
 * transaction elsewhere on a shared server does not hold sealing back. The snapshot is taken
 * before pg_stat_activity is read, so a transaction of ours running at the snapshot is still
 * listed there (or has finished). pg_stat_activity costs a millisecond; it is read only when the
 * snapshot shows transactions in flight.
 */
async function sealingHorizon(tx: Db, snapshot: string): Promise<bigint> {
  const [, xmax, xip = ''] = snapshot.split(':');
  const inFlight = xip === '' ? [] : xip.split(',').map((x) => BigInt(x));
  if (inFlight.length === 0) return BigInt(xmax!);
  const ours = await queryRows<{ xid: string }>(
    tx,
    // Prepared (two-phase) transactions have no backend, but may still commit audit rows.
    sql`select backend_xid::text as xid from pg_stat_activity
        where datname = current_database() and backend_xid is not null and pid <> pg_backend_pid()
        union all
        select transaction::text from pg_prepared_xacts where database = current_database()`,
  );
  const ourXids = new Set(ours.map((row) => BigInt(row.xid)));
  // backend_xid is the 32-bit xid; the snapshot's are 64-bit (epoch-extended).
  const running = inFlight.filter((xid) => ourXids.has(xid % 4294967296n));
  // biome-ignore lint/complexity/useMathMinMax: Math.min does not accept BigInt.
  return running.length > 0 ? running.reduce((a, b) => (a < b ? a : b)) : BigInt(xmax!);
}

/**
 * Seals every row of every finished transaction; returns how many it sealed. Rows are taken in
 * (tx_id, id) order from just after the last seal, below the horizon: no scan of sealed history.
 * Every statement is simple, so planning stays negligible.
 */
export async function sealPending(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await db.transaction(async (tx) => {
      const [locked] = await queryRows<{ snapshot: string }>(
        tx,
        sql`select pg_advisory_xact_lock(${SEAL_LOCK_KEY}), pg_current_snapshot()::text as snapshot`,
      );
      // Read after the lock: this statement's snapshot sees seals of a sealer we waited for.
      const [last] = await tx.select().from(auditSeal).orderBy(desc(auditSeal.position)).limit(1);
      const horizon = await sealingHorizon(tx, locked!.snapshot);
      // The explicit lower bound lets the BRIN index skip everything already sealed.
      const after = last
        ? and(
            gte(auditLog.txId, last.txId),
            sql`(${auditLog.txId}, ${auditLog.id}) > (${last.txId}, ${last.auditId}::uuid)`,
          )
        : undefined;
      const pending = await tx
        .select()
        .from(auditLog)
        .where(and(after, sql`${auditLog.txId} < ${horizon.toString()}::bigint`))
        .orderBy(asc(auditLog.txId), asc(auditLog.id))
        .limit(SEAL_BATCH);
      if (pending.length === 0) return 0;
      let previousHash = last?.hash ?? GENESIS_HASH;
      let position = last?.position ?? 0;
      const columns = {
        position: [] as number[],
        auditId: [] as string[],
        txId: [] as number[],
        previous: [] as string[],
        hash: [] as string[],
      };
      for (const row of pending) {
        const hash = hashAuditRow(previousHash, row);
        columns.position.push(++position);
        columns.auditId.push(row.id);
        columns.txId.push(row.txId);
        columns.previous.push(previousHash);
        columns.hash.push(hash);
        previousHash = hash;
      }
      // Five array parameters rather than five per row: cheap to build, send and plan.
      await tx.execute(sql`
        insert into audit_seal (position, audit_id, tx_id, previous_hash, hash)
        select * from unnest(${sql.param(columns.position)}::bigint[], ${sql.param(columns.auditId)}::uuid[],
          ${sql.param(columns.txId)}::bigint[], ${sql.param(columns.previous)}::text[], ${sql.param(columns.hash)}::text[])`);
      return pending.length;
    });
    total += sealed;
    if (sealed < SEAL_BATCH) return total;
  }
}

export interface ChainVerification {
  intact: boolean;
  checked: number;
  unsealed: number;
  firstBroken: { position: number; auditId: string | null; reason: string } | null;
}

/** Walks the chain from the start and recomputes every hash. */
export async function verifyChain(db: Db): Promise<ChainVerification> {
  let previousHash = GENESIS_HASH;
  let expectedPosition = 1;
  let checked = 0;
  for (;;) {
    const batch = await db
      .select({ seal: auditSeal, row: auditLog })
      .from(auditSeal)
      .leftJoin(auditLog, eq(auditLog.id, auditSeal.auditId))
      .where(gte(auditSeal.position, expectedPosition))
      .orderBy(asc(auditSeal.position))
      .limit(SEAL_BATCH);
    for (const { seal, row } of batch) {
      const broken = (reason: string): ChainVerification => ({
        intact: false,
        checked,
        unsealed: 0,
        firstBroken: { position: seal.position, auditId: row?.id ?? seal.auditId, reason },
      });
      if (seal.position !== expectedPosition) return broken(`seal ${expectedPosition} is missing`);
      if (seal.previousHash !== previousHash) return broken('the link to the previous row does not match');
      if (!row) return broken('the audit row was deleted');
      if (hashAuditRow(previousHash, row) !== seal.hash) return broken('the audit row was altered');
      previousHash = seal.hash;
      expectedPosition++;
      checked++;
    }
    if (batch.length < SEAL_BATCH) break;
  }
  const [unsealed] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(auditLog)
    .leftJoin(auditSeal, eq(auditSeal.auditId, auditLog.id))
    .where(isNull(auditSeal.auditId));
  return { intact: true, checked, unsealed: unsealed?.count ?? 0, firstBroken: null };
}

/** Runs `sealPending` shortly after writes (nudge) and on a slow timer for other instances' rows. */
export class AuditSealer {
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly database: Database,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.intervalMs);
    this.timer.unref();
  }

  /** Debounced: many writes within 50 ms are sealed by one pass. */
  nudge(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.sealNow();
    }, 50);
    this.pending.unref();
  }

  sealNow(): Promise<unknown> {
    this.running = this.running.then(() => sealPending(this.database.db)).catch(this.onError);
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.pending);
    this.pending = undefined;
    await this.running;
  }
}
