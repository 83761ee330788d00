import { and, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { type Db, queryRows } from '../../db/client';
import { MAX_PAGE_SIZE } from '../entities/list-query';
import { standardErrors } from '../http/problem.schemas';
import { dateOrTimestamp, plainString } from '../http/schemas';
import { access } from '../rbac/route-access';
import { AUDIT_ACTIONS, AUTH_METHODS, auditLog } from './audit.table';
import { verifyChain } from './chain';

export const auditEntry = z
  .object({
    id: z.uuid(),
    occurredAt: z.string(),
    actorId: z.uuid().nullable(),
    actorLabel: z.string().nullable(),
    authMethod: z.enum(AUTH_METHODS),
    action: z.enum(AUDIT_ACTIONS),
    entityType: z.string(),
    entityId: z.uuid(),
    entityLabel: z.string().nullable(),
    changes: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const auditQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  entityType: plainString().max(64).optional(),
  entityId: z.uuid().optional(),
  actorId: z.uuid().optional(),
  action: z
    .string()
    .max(100)
    .refine((v) => v.split(',').every((a) => (AUDIT_ACTIONS as readonly string[]).includes(a)), {
      message: `must be one or more (comma-separated) of: ${AUDIT_ACTIONS.join(', ')}`,
    })
    .optional(),
  from: dateOrTimestamp.optional(),
  to: dateOrTimestamp.optional(),
});

type AuditRow = typeof auditLog.$inferSelect;
export function toAuditEntry(row: AuditRow): z.input<typeof auditEntry> {
  return { ...row, occurredAt: row.occurredAt.toISOString() };
}

/** A page of audit entries, newest first (UUIDv7 ids are time-ordered), with the total. */
export async function pageAuditLog(db: Db, where: SQL | undefined, page: number, pageSize: number) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { data: rows.map(toAuditEntry), page, pageSize, total: await db.$count(auditLog, where) };
}

/**
 * The distinct entity types in the log, by a loose index scan of its (entity_type, …) index: one
 * probe per type, however long the log has grown.
 */
export async function auditedEntityTypes(db: Db): Promise<string[]> {
  const rows = await queryRows<{ entity_type: string }>(
    db,
    sql`with recursive types as (
      (select entity_type from audit_log order by entity_type limit 1)
      union all
      select (select a.entity_type from audit_log a where a.entity_type > types.entity_type
              order by a.entity_type limit 1)
      from types where types.entity_type is not null
    )
    select entity_type from types where entity_type is not null`,
  );
  // Sorted here, not by the database's collation, so the order is the same on every server.
  return rows.map((row) => row.entity_type).sort();
}

export async function registerAuditRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;

  app.get(
    '/api/v1/audit-log',
    {
      // The log spans every module (HR changes, sessions with IPs…): administrators and auditors only.
      config: { access: access.oversight },
      schema: {
        tags: ['Audit log'],
        summary: 'Search the audit log',
        description:
          'Newest first. `from`/`to` take ISO timestamps or dates (a date `to` is inclusive of that day).',
        querystring: auditQuery,
        response: {
          200: z.object({
            data: z.array(auditEntry),
            page: z.number(),
            pageSize: z.number(),
            total: z.number(),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const conditions: SQL[] = [];
      if (q.entityType) conditions.push(eq(auditLog.entityType, q.entityType));
      if (q.entityId) conditions.push(eq(auditLog.entityId, q.entityId));
      if (q.actorId) conditions.push(eq(auditLog.actorId, q.actorId));
      if (q.action) conditions.push(inArray(auditLog.action, q.action.split(',') as never[]));
      if (q.from) conditions.push(gte(auditLog.occurredAt, new Date(q.from)));
      if (q.to) {
        const to = new Date(q.to);
        if (q.to.length === 10) to.setUTCDate(to.getUTCDate() + 1);
        conditions.push(
          q.to.length === 10
            ? lte(auditLog.occurredAt, new Date(to.getTime() - 1))
            : lte(auditLog.occurredAt, to),
        );
      }
      return pageAuditLog(db, conditions.length > 0 ? and(...conditions) : undefined, q.page, q.pageSize);
    },
  );

  app.get(
    '/api/v1/audit-log/entity-types',
    {
      config: { access: access.oversight },
      schema: {
        tags: ['Audit log'],
        summary: 'The record types that have audit entries',
        description: 'For the record-type filter: every type the log holds, alphabetically.',
        response: { 200: z.object({ data: z.array(z.string()) }), ...standardErrors },
      },
    },
    async () => ({ data: await auditedEntityTypes(db) }),
  );

  app.get(
    '/api/v1/audit-log/verify',
    {
      config: { access: access.admin },
      schema: {
        tags: ['Audit log'],
        summary: 'Verify the hash chain (administrators)',
        description: 'Seals any pending rows first, then recomputes every hash from the start of the chain.',
        response: {
          200: z.object({
            intact: z.boolean(),
            checked: z.number().int(),
            unsealed: z.number().int(),
            firstBroken: z
              .object({ position: z.number(), auditId: z.string().nullable(), reason: z.string() })
              .nullable(),
          }),
          ...standardErrors,
        },
      },
    },
    async () => {
      await deps.sealer.sealNow();
      return verifyChain(db);
    },
  );
}
