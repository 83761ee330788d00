import { asc, eq, type SQL } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { type AuditedTable, insertRecord, lockRecord, updateRecord } from '../../platform/audit/write';
import { checkReference } from '../../platform/entities/check-reference';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction, type ServiceContext } from '../../platform/http/context';
import { forbidden, notFound, validationFailed } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import {
  idParams,
  isoDate,
  nullableOptional as optional,
  plainString,
  shortText,
} from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { users } from '../people/users.table';
import { assertAuditorOf, assertMayWorkOn, isAuditorOf } from './audit-roles';
import { itemOf, openAudit } from './audit-work.routes';
import { assertUnlocked, auditEntity } from './audits.entity';
import { type Audit, auditFindings, auditItems, FINDING_SEVERITIES, FINDING_STATUSES } from './audits.table';

/**
 * Findings: what the audit found wrong, tracked to closure. Who does what (separation of duties):
 * - the audit's auditors raise a finding and alone say what it is (title, description, severity);
 * - everyone working the audit responds: the owner who fixes it, the due date, the progress
 *   (open ↔ in progress);
 * - closing it (with a note saying how it was fixed) or reopening it is for its owner or an
 *   auditor, so a finding nobody owns is assigned before it can be closed.
 * Findings outlive the audit's closing (they are tracked until fixed); only a lock stops them.
 */

export const findingAudit: AuditedTable<typeof auditFindings> = {
  table: auditFindings,
  entityType: 'audit_finding',
  label: (row) => row.title,
};

const findingRecord = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    itemId: z.uuid().nullable(),
    /** The reference of the control it is on, null for a finding on the audit as a whole. */
    itemRefId: z.string().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    severity: z.enum(FINDING_SEVERITIES),
    ownerUserId: z.uuid().nullable(),
    dueDate: z.string().nullable(),
    status: z.enum(FINDING_STATUSES),
    closureNote: z.string().nullable(),
    closedAt: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.uuid().nullable(),
    /** Who raised it, by name. */
    createdByName: z.string().nullable(),
  })
  .meta({ id: 'AuditFinding' });

/** The findings matching `where`, with their control's reference and their author's name. */
async function readFindings(ctx: ServiceContext, where: SQL): Promise<Array<z.input<typeof findingRecord>>> {
  const rows = await ctx.db
    .select({ finding: auditFindings, itemRefId: auditItems.refId, createdByName: users.name })
    .from(auditFindings)
    .leftJoin(auditItems, eq(auditItems.id, auditFindings.itemId))
    .leftJoin(users, eq(users.id, auditFindings.createdBy))
    .where(where)
    .orderBy(asc(auditFindings.createdAt), asc(auditFindings.id));
  return rows.map(({ finding: f, itemRefId, createdByName }) => ({
    id: f.id,
    version: f.version,
    itemId: f.itemId,
    itemRefId,
    title: f.title,
    description: f.description,
    severity: f.severity,
    ownerUserId: f.ownerUserId,
    dueDate: f.dueDate,
    status: f.status,
    closureNote: f.closureNote,
    closedAt: f.closedAt?.toISOString() ?? null,
    createdAt: f.createdAt.toISOString(),
    createdBy: f.createdBy,
    createdByName,
  }));
}

async function readFinding(ctx: ServiceContext, id: string) {
  const [finding] = await readFindings(ctx, eq(auditFindings.id, id));
  return finding!;
}

const findingFields = {
  title: shortText(200),
  description: optional(plainString().trim().max(10_000)),
  severity: z.enum(FINDING_SEVERITIES),
  ownerUserId: optional(z.uuid()),
  dueDate: optional(isoDate),
};
const closureNote = optional(plainString().trim().min(1).max(10_000));

/** What the auditors alone say about a finding. */
const SUBSTANCE = ['title', 'description', 'severity'] as const;

export async function registerFindingRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Audits'];
  const ctxOf = (request: FastifyRequest) => serviceContext(request, db);

  app.get(
    '/api/v1/audits/:id/findings',
    {
      config: { access: access.auditWork('read') },
      schema: {
        tags,
        summary: "The audit's findings, most severe first",
        params: idParams,
        response: { 200: z.object({ data: z.array(findingRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      await getEntity(ctx, auditEntity, request.params.id);
      const rows = await readFindings(ctx, eq(auditFindings.auditId, request.params.id));
      const rank = (s: string) => FINDING_SEVERITIES.length - FINDING_SEVERITIES.indexOf(s as never);
      // Sorting is stable: within a severity, the oldest first.
      return { data: rows.sort((a, b) => rank(a.severity) - rank(b.severity)) };
    },
  );

  app.post(
    '/api/v1/audits/:id/findings',
    {
      config: { access: access.auditWork('write') },
      schema: {
        tags,
        summary: "Raise a finding, on a control or on the audit as a whole (the audit's auditors)",
        params: idParams,
        body: z.strictObject({ itemId: optional(z.uuid()), ...findingFields }),
        response: { 201: z.object({ data: findingRecord }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      await getEntity(ctx, auditEntity, request.params.id);
      await assertAuditorOf(ctx, request.params.id, 'raise findings');
      const row = await inTransaction(ctx, async (tx) => {
        await openAudit(tx, request.params.id);
        if (request.body.itemId) await itemOf(tx, request.params.id, request.body.itemId);
        const errors: Parameters<typeof validationFailed>[0] = [];
        await checkReference(tx, users, 'ownerUserId', request.body.ownerUserId, undefined, errors);
        if (errors.length) throw validationFailed(errors);
        return insertRecord(tx, findingAudit, { auditId: request.params.id, ...request.body });
      });
      return reply.code(201).send({ data: await readFinding(ctx, row.id) });
    },
  );

  app.patch(
    '/api/v1/audits/:id/findings/:findingId',
    {
      config: { access: access.auditWork('write') },
      schema: {
        tags,
        summary: 'Update a finding; closing it needs a closure note',
        description:
          "The audit's auditors change what a finding says (title, description, severity); everyone working the audit sets its owner, due date and progress; closing or reopening it is for its owner (as it stands after this change) or an auditor. Others get 403.",
        params: z.object({ id: z.uuid(), findingId: z.uuid() }),
        body: z
          .strictObject({ ...findingFields, status: z.enum(FINDING_STATUSES), closureNote })
          .partial()
          .extend({ version: z.number().int().min(1) }),
        response: { 200: z.object({ data: findingRecord }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = ctxOf(request);
      const { version, ...patch } = request.body;
      const row = await inTransaction(ctx, async (tx) => {
        await getEntity(tx, auditEntity, request.params.id);
        await assertMayWorkOn(tx, request.params.id);
        assertUnlocked((await lockRecord(tx, auditEntity, request.params.id)) as Audit);
        const current = await lockRecord(tx, findingAudit, request.params.findingId);
        if (current.auditId !== request.params.id) throw notFound('Finding');
        const auditor = await isAuditorOf(tx, current.auditId);
        const changes = (field: keyof typeof patch) =>
          patch[field] !== undefined && patch[field] !== current[field as keyof typeof current];
        if (!auditor && SUBSTANCE.some(changes)) {
          throw forbidden(
            'Only the auditors of this audit change what a finding says (title, description, severity); the team responds with an owner, a due date and its progress.',
          );
        }
        const closing = patch.status === 'closed' && current.status !== 'closed';
        const reopening =
          patch.status !== undefined && patch.status !== 'closed' && current.status === 'closed';
        const owner = patch.ownerUserId !== undefined ? patch.ownerUserId : current.ownerUserId;
        const ownsIt = tx.actor.kind === 'user' && owner === tx.actor.id;
        if ((closing || reopening || changes('closureNote')) && !auditor && !ownsIt) {
          throw forbidden(
            `A finding is ${reopening ? 'reopened' : 'closed'} by its owner or an auditor of this audit${owner ? '' : '; give it an owner first'}.`,
          );
        }
        const note = patch.closureNote !== undefined ? patch.closureNote : current.closureNote;
        if (closing && !note)
          throw validationFailed([{ path: 'closureNote', message: 'is required to close a finding' }]);
        const errors: Parameters<typeof validationFailed>[0] = [];
        await checkReference(tx, users, 'ownerUserId', patch.ownerUserId, current.ownerUserId, errors);
        if (errors.length) throw validationFailed(errors);
        const closedAt =
          patch.status === undefined
            ? {}
            : { closedAt: patch.status === 'closed' ? (current.closedAt ?? new Date()) : null };
        return updateRecord(
          tx,
          findingAudit,
          current.id,
          { ...patch, ...closedAt },
          { expectedVersion: version, locked: current },
        );
      });
      return { data: await readFinding(ctx, row.id) };
    },
  );
}
