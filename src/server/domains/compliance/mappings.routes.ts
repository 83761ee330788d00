import { and, asc, eq, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { deleteRecord, insertRecord, lockRecord } from '../../platform/audit/write';
import { getEntity } from '../../platform/entities/entity.service';
import { inTransaction, type ServiceContext } from '../../platform/http/context';
import { notFound, validationFailed } from '../../platform/http/problem';
import { standardErrors } from '../../platform/http/problem.schemas';
import { serviceContext } from '../../platform/http/request-context';
import { idParams } from '../../platform/http/schemas';
import { access } from '../../platform/rbac/route-access';
import { recomputeStatuses } from './control-status';
import { controlEntity } from './frameworks.entity';
import { controlMappings, frameworkControls, frameworks, MAPPING_RELATIONSHIPS } from './frameworks.table';
import { controlMappingAudit } from './install-framework';

const mappingCreate = z
  .strictObject({
    fromControlId: z.uuid(),
    toControlId: z.uuid(),
    relationship: z.enum(MAPPING_RELATIONSHIPS),
  })
  .meta({ id: 'ControlMappingCreate' });

const mappingRecord = z
  .object({
    id: z.uuid(),
    /** Read from this control: "this control <relationship> the other" (`subset`: this one is narrower). */
    relationship: z.enum(MAPPING_RELATIONSHIPS),
    otherControlId: z.uuid(),
    otherRefId: z.string(),
    otherTitle: z.string(),
    otherFrameworkId: z.uuid(),
    otherFrameworkName: z.string(),
  })
  .meta({ id: 'ControlMapping' });

const INVERSE = { equal: 'equal', subset: 'superset', superset: 'subset', intersects: 'intersects' } as const;

async function mappingsOf(
  ctx: ServiceContext,
  controlId: string,
): Promise<Array<z.input<typeof mappingRecord>>> {
  const other = alias(frameworkControls, 'other');
  const rows = await ctx.db
    .select({ mapping: controlMappings, other, frameworkName: frameworks.name })
    .from(controlMappings)
    .innerJoin(
      other,
      or(
        and(eq(controlMappings.fromControlId, controlId), eq(other.id, controlMappings.toControlId)),
        and(eq(controlMappings.toControlId, controlId), eq(other.id, controlMappings.fromControlId)),
      ),
    )
    .innerJoin(frameworks, eq(frameworks.id, other.frameworkId))
    .orderBy(asc(frameworks.name), asc(other.position));
  return rows.map(({ mapping, other: o, frameworkName }) => ({
    id: mapping.id,
    relationship: mapping.fromControlId === controlId ? mapping.relationship : INVERSE[mapping.relationship],
    otherControlId: o.id,
    otherRefId: o.refId,
    otherTitle: o.title,
    otherFrameworkId: o.frameworkId,
    otherFrameworkName: frameworkName,
  }));
}

/** Cross-framework mappings of a control: list, add, remove. */
export async function registerMappingRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['Compliance'];

  app.get(
    '/api/v1/controls/:id/mappings',
    {
      config: { access: access.read('compliance') },
      schema: {
        tags,
        summary: "A control's mappings to controls of other frameworks",
        params: idParams,
        response: { 200: z.object({ data: z.array(mappingRecord) }), ...standardErrors },
      },
    },
    async (request) => {
      const ctx = serviceContext(request, db);
      await getEntity(ctx, controlEntity, request.params.id);
      return { data: await mappingsOf(ctx, request.params.id) };
    },
  );

  app.post(
    '/api/v1/control-mappings',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary: 'Map a control to a control of another framework',
        description:
          '`subset` reads "from is narrower than to". Evidence flows between controls mapped as `equal`.',
        body: mappingCreate,
        response: { 201: z.object({ data: mappingRecord }), ...standardErrors },
      },
    },
    async (request, reply) => {
      const input = request.body;
      const data = await inTransaction(serviceContext(request, db), async (tx) => {
        const ends = await tx.db
          .select({
            id: frameworkControls.id,
            frameworkId: frameworkControls.frameworkId,
            kind: frameworkControls.kind,
          })
          .from(frameworkControls)
          .where(
            or(eq(frameworkControls.id, input.fromControlId), eq(frameworkControls.id, input.toControlId)),
          );
        const from = ends.find((e) => e.id === input.fromControlId);
        const to = ends.find((e) => e.id === input.toControlId);
        const errors = [];
        if (!from) errors.push({ path: 'fromControlId', message: 'does not exist' });
        if (!to) errors.push({ path: 'toControlId', message: 'does not exist' });
        if (from && to && from.frameworkId === to.frameworkId)
          errors.push({ path: 'toControlId', message: 'must be a control of another framework' });
        const [reverse] = await tx.db
          .select({ id: controlMappings.id })
          .from(controlMappings)
          .where(
            and(
              eq(controlMappings.fromControlId, input.toControlId),
              eq(controlMappings.toControlId, input.fromControlId),
            ),
          );
        if (reverse) errors.push({ path: 'toControlId', message: 'is already mapped to this control' });
        if (errors.length > 0) throw validationFailed(errors);
        const row = await insertRecord(tx, controlMappingAudit, input);
        await recomputeStatuses(tx, { controlIds: [input.fromControlId, input.toControlId] });
        return (await mappingsOf(tx, input.fromControlId)).find((m) => m.id === row.id)!;
      });
      return reply.code(201).send({ data });
    },
  );

  app.delete(
    '/api/v1/control-mappings/:id',
    {
      config: { access: access.write('compliance') },
      schema: {
        tags,
        summary: 'Remove a mapping',
        params: idParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await inTransaction(serviceContext(request, db), async (tx) => {
        const [exists] = await tx.db
          .select({ id: controlMappings.id })
          .from(controlMappings)
          .where(eq(controlMappings.id, request.params.id));
        if (!exists) throw notFound('Mapping');
        const mapping = await lockRecord(tx, controlMappingAudit, request.params.id);
        await deleteRecord(tx, controlMappingAudit, mapping.id, undefined, mapping);
        await recomputeStatuses(tx, { controlIds: [mapping.fromControlId, mapping.toControlId] });
      });
      return reply.code(204).send();
    },
  );
}
