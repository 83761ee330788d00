import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction } from '../../platform/http/context';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { isoDate } from '../../platform/http/schemas';
import { readOrganization } from '../../platform/organization/organization.service';
import { access } from '../../platform/rbac/route-access';
import { complianceAsOf, momentOf } from './as-of';
import { complianceDashboard } from './dashboard';
import { dashboardPdf } from './dashboard-pdf';
import { driftReport, listSnapshots, takeSnapshot } from './drift';
import { frameworkEntity } from './frameworks.entity';
import { frameworkStats } from './frameworks.schemas';
import { CONTROL_STATUSES } from './frameworks.table';

const snapshotRecord = z
  .object({
    id: z.uuid(),
    takenAt: z.string(),
    trigger: z.string(),
    takenBy: z.uuid().nullable().optional(),
    controls: z.number().int(),
    /** Owners told of a regression since the previous snapshot (only when it was just taken). */
    notified: z.number().int().optional(),
  })
  .meta({ id: 'ComplianceSnapshot' });

const driftChange = z
  .object({
    controlId: z.uuid(),
    refId: z.string(),
    title: z.string(),
    frameworkId: z.uuid(),
    frameworkName: z.string(),
    ownerUserId: z.uuid().nullable(),
    ownerGroupId: z.uuid().nullable(),
    from: z.enum(CONTROL_STATUSES),
    to: z.enum(CONTROL_STATUSES),
    fromReason: z.string(),
    toReason: z.string(),
    kind: z.enum(['regression', 'improvement', 'scope']),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
  })
  .meta({ id: 'DriftChange' });

const snapshotRef = z.object({ id: z.string(), takenAt: z.string() }).nullable();

/** The compliance dashboard, status snapshots and drift between them. */
export async function registerComplianceReportRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Compliance'];

  app.get(
    '/api/v1/compliance/dashboard',
    {
      config: { access: access.read('compliance') },
      schema: {
        tags,
        summary: 'Coverage and status per active framework, controls without owner, expiring evidence, trend',
        response: {
          200: z.object({
            data: z.object({
              frameworks: z.array(
                z.object({
                  id: z.uuid(),
                  name: z.string(),
                  stats: frameworkStats,
                  withoutOwner: z.number().int(),
                }),
              ),
              totals: frameworkStats,
              withoutOwner: z.number().int(),
              expiringEvidence: z.object({
                withinDays: z.number().int(),
                total: z.number().int(),
                items: z.array(
                  z.object({
                    id: z.uuid(),
                    title: z.string(),
                    validUntil: z.string(),
                    controlId: z.uuid(),
                    controlRefId: z.string(),
                    frameworkName: z.string(),
                  }),
                ),
              }),
              trend: z.array(
                z.object({
                  snapshotId: z.uuid(),
                  takenAt: z.string(),
                  frameworkId: z.uuid(),
                  coverage: z.number(),
                }),
              ),
            }),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => ({ data: await complianceDashboard(serviceContext(request, db)) }),
  );

  app.get(
    '/api/v1/compliance/dashboard.pdf',
    {
      config: { access: access.read('compliance') },
      schema: { tags, summary: 'The compliance dashboard as a PDF report' },
    },
    async (request, reply) => {
      const ctx = serviceContext(request, db);
      const [dashboard, organization] = await Promise.all([complianceDashboard(ctx), readOrganization(db)]);
      const pdf = await dashboardPdf(dashboard, organization.settings.displayName);
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="compliance-${new Date().toISOString().slice(0, 10)}.pdf"`,
        )
        .send(pdf);
    },
  );

  app.get(
    '/api/v1/compliance/snapshots',
    {
      config: { access: access.read('compliance') },
      schema: {
        tags,
        summary: 'Status snapshots, newest first',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ data: z.array(snapshotRecord) }), ...standardErrors },
      },
    },
    async (request) => ({ data: await listSnapshots(serviceContext(request, db), request.query.limit) }),
  );

  app.post(
    '/api/v1/compliance/snapshots',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary: "Photograph every control's status now (the scheduler does it daily)",
        response: { 201: z.object({ data: snapshotRecord }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const snapshot = await inTransaction(serviceContext(request, db), (tx) => takeSnapshot(tx, 'manual'));
      return reply.code(201).send({ data: snapshot });
    },
  );

  app.get(
    '/api/v1/compliance/as-of',
    {
      config: { access: access.read('compliance') },
      schema: {
        tags,
        summary: "A framework's controls as they stood at a past moment: status and the evidence of then",
        description:
          'Statuses come from the last daily snapshot taken by then; evidence is rebuilt from the audit log (links that existed, the records as they were, manual evidence valid that day). `at` is a date (its end, UTC) or a timestamp.',
        querystring: z.strictObject({
          frameworkId: z.uuid(),
          at: z.union([isoDate, z.iso.datetime({ offset: true })]),
          page: z.coerce.number().int().min(1).max(10_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            data: z.object({
              at: z.string(),
              snapshot: z.object({ id: z.uuid(), takenAt: z.string() }).nullable(),
              controls: z.array(
                z.object({
                  controlId: z.uuid(),
                  refId: z.string(),
                  title: z.string(),
                  kind: z.enum(['group', 'control']),
                  depth: z.number().int(),
                  status: z.enum(CONTROL_STATUSES).nullable(),
                  reason: z.string().nullable(),
                  evidence: z.array(
                    z.object({
                      kind: z.enum(['link', 'manual']),
                      recordType: z.string().nullable(),
                      recordId: z.uuid(),
                      label: z.string().nullable(),
                      justification: z.string().nullable(),
                      record: z.record(z.string(), z.unknown()).nullable(),
                      evidenceDate: z.string().nullable(),
                      validUntil: z.string().nullable(),
                    }),
                  ),
                }),
              ),
            }),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, frameworkEntity, request.query.frameworkId);
      const { frameworkId, at, page, pageSize } = request.query;
      return { data: await complianceAsOf(ctx, frameworkId, momentOf(at), page, pageSize) };
    },
  );

  app.get(
    '/api/v1/compliance/drift',
    {
      config: { access: access.read('compliance') },
      schema: {
        tags,
        summary: 'What changed between two snapshots, regressions first, with the reasons before and after',
        description:
          'Defaults compare the last two snapshots; `to=now` compares a snapshot with the live statuses.',
        querystring: z.strictObject({
          from: z.uuid().optional(),
          to: z.union([z.uuid(), z.literal('now')]).optional(),
          frameworkId: z.uuid().optional(),
        }),
        response: {
          200: z.object({
            data: z.object({
              from: snapshotRef,
              to: snapshotRef,
              regressions: z.number().int(),
              improvements: z.number().int(),
              changes: z.array(driftChange),
            }),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => ({ data: await driftReport(serviceContext(request, db), request.query) }),
  );
}
