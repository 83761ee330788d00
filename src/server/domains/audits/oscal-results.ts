import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../platform/http/context';
import { OSCAL_VERSION } from '../compliance/framework-formats';
import { oscalIdFor } from '../compliance/framework-formats/oscal-export';
import { type Audit, auditEvidence, auditFindings, auditItems } from './audits.table';

/**
 * An audit's results as an OSCAL assessment-results document (1.1): one result for the audit's
 * period, the controls reviewed, an observation per frozen evidence item, and a finding per
 * control judged (satisfied or not) and per finding recorded. UUIDs are derived from our ids, so
 * exporting twice gives the same document.
 */

/** A name-based UUID (v5 layout) from any text, stable across exports. */
function uuidFrom(text: string): string {
  const hash = createHash('sha1').update(`opsdeck:${text}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const SATISFIED = new Set(['compliant', 'observation']);
const NOT_SATISFIED = new Set(['minor_nonconformity', 'major_nonconformity']);

export async function assessmentResults(ctx: ServiceContext, audit: Audit): Promise<object> {
  const items = await ctx.db
    .select()
    .from(auditItems)
    .where(eq(auditItems.auditId, audit.id))
    .orderBy(asc(auditItems.position));
  const evidence = await ctx.db.select().from(auditEvidence).where(eq(auditEvidence.auditId, audit.id));
  const findings = await ctx.db.select().from(auditFindings).where(eq(auditFindings.auditId, audit.id));
  const controls = items.filter((i) => i.kind === 'control');
  const controlId = (item: { refId: string }) => oscalIdFor(item.refId);
  const observationsOf = new Map<string, string[]>();
  const observations = evidence.map((e) => {
    const uuid = uuidFrom(`evidence:${e.id}`);
    observationsOf.set(e.itemId, [...(observationsOf.get(e.itemId) ?? []), uuid]);
    return {
      uuid,
      title: e.displayName,
      description: e.justification ?? e.displayName,
      methods: ['EXAMINE'],
      types: ['control-objective'],
      collected: e.frozenAt.toISOString(),
      'relevant-evidence': [
        {
          href: `evidence/${e.id}.html`,
          description: `${e.source} evidence${e.recordType ? ` (${e.recordType})` : ''}${e.sha256 ? `, file SHA-256 ${e.sha256}` : ''}`,
        },
      ],
    };
  });
  const judged = controls
    .filter((item) => SATISFIED.has(item.result) || NOT_SATISFIED.has(item.result))
    .map((item) => ({
      uuid: uuidFrom(`result:${item.id}`),
      title: `${item.refId}: ${item.result.replace(/_/g, ' ')}`,
      description: item.auditorComment ?? `${item.refId} ${item.title}`,
      target: {
        type: 'objective-id',
        'target-id': controlId(item),
        status: { state: SATISFIED.has(item.result) ? 'satisfied' : 'not-satisfied' },
      },
      ...(observationsOf.has(item.id)
        ? {
            'related-observations': observationsOf
              .get(item.id)!
              .map((uuid) => ({ 'observation-uuid': uuid })),
          }
        : {}),
    }));
  const itemById = new Map(items.map((i) => [i.id, i]));
  const recorded = findings.map((f) => {
    const item = f.itemId ? itemById.get(f.itemId) : undefined;
    return {
      uuid: uuidFrom(`finding:${f.id}`),
      title: f.title,
      description: f.description ?? f.title,
      props: [
        { name: 'severity', ns: 'https://opsdeck.dev/ns/oscal', value: f.severity },
        { name: 'status', ns: 'https://opsdeck.dev/ns/oscal', value: f.status },
      ],
      target: {
        type: 'objective-id',
        'target-id': item ? controlId(item) : 'audit',
        status: { state: 'not-satisfied' },
      },
    };
  });
  return {
    'assessment-results': {
      uuid: uuidFrom(`audit:${audit.id}`),
      metadata: {
        title: `${audit.name}: assessment results`,
        'last-modified': audit.updatedAt.toISOString(),
        version: String(audit.version),
        'oscal-version': OSCAL_VERSION,
      },
      'import-ap': { href: `#${audit.id}` },
      results: [
        {
          uuid: uuidFrom(`result-set:${audit.id}`),
          title: audit.name,
          description: `${audit.frameworkName}, evidence frozen ${audit.frozenAsOf.toISOString()}; status ${audit.status}${audit.outcome ? `, outcome ${audit.outcome}` : ''}.`,
          start: `${audit.periodStart}T00:00:00Z`,
          end: `${audit.periodEnd}T23:59:59Z`,
          'reviewed-controls': {
            'control-selections': [
              { 'include-controls': controls.map((item) => ({ 'control-id': controlId(item) })) },
            ],
          },
          ...(observations.length ? { observations } : {}),
          ...(judged.length || recorded.length ? { findings: [...judged, ...recorded] } : {}),
        },
      ],
    },
  };
}
