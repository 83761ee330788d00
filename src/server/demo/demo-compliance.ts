import { and, eq, inArray } from 'drizzle-orm';
import { assets, locations } from '../domains/assets/assets.table';
import { disposals } from '../domains/assets/disposals.table';
import { maintenanceLogs } from '../domains/assets/maintenance.table';
import { complianceLinkAudit } from '../domains/compliance/compliance-links.service';
import { complianceRuleEntity } from '../domains/compliance/compliance-rules.entity';
import { recomputeStatuses } from '../domains/compliance/control-status';
import { takeSnapshot } from '../domains/compliance/drift';
import { controlEntity, evidenceEntity } from '../domains/compliance/frameworks.entity';
import { frameworkControls, frameworks } from '../domains/compliance/frameworks.table';
import { addMappings, installFramework } from '../domains/compliance/install-framework';
import { builtinMappingsFor, findBuiltinFramework } from '../domains/compliance/library';
import { insertRecord, updateRecord } from '../platform/audit/write';
import type { ServiceContext } from '../platform/http/context';

const ISO = 'iso27001-2022';
const SOC2 = 'soc2-tsc-2017';

/**
 * The demo company's compliance work: ISO 27001 and SOC 2 installed and mapped, a few controls
 * owned, evidence linked from the inventory (the office, the asset register, a repair, a
 * disposal), a signed policy, a rule on equipment maintenance, one exclusion in the Statement of
 * Applicability, and a first status snapshot. `ctx` must carry the registry.
 */
export async function loadDemoCompliance(
  ctx: ServiceContext,
  owners: { it: string; security: string },
): Promise<void> {
  for (const key of [ISO, SOC2]) await installFramework(ctx, findBuiltinFramework(key)!, 'builtin');
  await addMappings(ctx, builtinMappingsFor([ISO, SOC2]));

  const controls = await ctx.db
    .select()
    .from(frameworkControls)
    .innerJoin(frameworks, eq(frameworks.id, frameworkControls.frameworkId))
    .where(
      and(
        eq(frameworks.key, ISO),
        inArray(frameworkControls.refId, ['A.5.1', 'A.5.9', 'A.7.1', 'A.7.6', 'A.7.13', 'A.7.14', 'A.8.1']),
      ),
    );
  const control = (refId: string) =>
    controls.find((c) => c.framework_controls.refId === refId)!.framework_controls;
  for (const [refId, owner] of [
    ['A.5.9', owners.it],
    ['A.7.13', owners.it],
    ['A.7.14', owners.it],
    ['A.8.1', owners.it],
    ['A.5.1', owners.security],
  ] as const) {
    await updateRecord(ctx, controlEntity, control(refId).id, {
      ownerUserId: owner,
      implementationStatus: 'implemented',
    });
  }
  await updateRecord(ctx, controlEntity, control('A.7.6').id, {
    applicable: false,
    soaJustification:
      'No secure areas: production runs at a cloud provider, offices hold no sensitive equipment.',
  });

  const [office] = await ctx.db
    .select({ id: locations.id })
    .from(locations)
    .where(eq(locations.name, 'London HQ'));
  const [laptop] = await ctx.db.select({ id: assets.id }).from(assets).where(eq(assets.assetTag, 'OPS-0001'));
  const [repair] = await ctx.db.select({ id: maintenanceLogs.id }).from(maintenanceLogs).limit(1);
  const [disposal] = await ctx.db.select({ id: disposals.id }).from(disposals).limit(1);
  const links = [
    {
      refId: 'A.7.1',
      type: 'location',
      id: office?.id,
      why: 'Badge-controlled entrance and reception sign-in at the head office.',
    },
    {
      refId: 'A.5.9',
      type: 'asset',
      id: laptop?.id,
      why: 'Laptops are registered with tag, serial, holder and location.',
    },
    {
      refId: 'A.7.13',
      type: 'maintenance_log',
      id: repair?.id,
      why: 'Repairs are logged with the asset and the outcome.',
    },
    {
      refId: 'A.7.14',
      type: 'disposal',
      id: disposal?.id,
      why: 'Disposal with NIST 800-88 purge and a recycling partner.',
    },
  ];
  for (const link of links) {
    if (!link.id) continue;
    await insertRecord(ctx, complianceLinkAudit, {
      controlId: control(link.refId).id,
      linkableType: link.type,
      linkableId: link.id,
      justification: link.why,
    });
  }
  const today = new Date();
  const inAYear = new Date(today.getTime() + 365 * 86_400_000);
  await insertRecord(ctx, evidenceEntity, {
    controlId: control('A.5.1').id,
    title: 'Information security policy v3, approved by the board',
    note: 'Board minutes of the approval, and the policy as published on the intranet.',
    evidenceDate: today.toISOString().slice(0, 10),
    validUntil: inAYear.toISOString().slice(0, 10),
  });
  await insertRecord(ctx, complianceRuleEntity, {
    controlId: control('A.8.1').id,
    name: 'Laptop maintenance completed this half-year',
    ruleType: 'recent_record',
    criteria: { entityType: 'maintenance_log', filters: { status: 'completed' }, dateField: 'eventDate' },
    windowDays: 180,
    graceDays: 14,
    ownerUserId: owners.it,
  });
  await recomputeStatuses(ctx, 'all');
  await takeSnapshot(ctx, 'manual');
}
