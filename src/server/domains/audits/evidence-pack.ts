import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, asc, eq, inArray } from 'drizzle-orm';
import yazl from 'yazl';
import type { FileStorage } from '../../platform/attachments/storage';
import type { ServiceContext } from '../../platform/http/context';
import { heading, paragraph, renderPdf, table } from '../../platform/pdf/pdf';
import {
  type Audit,
  type AuditEvidence,
  type AuditItem,
  auditComments,
  auditEvidence,
  auditFindings,
  auditItems,
} from './audits.table';

/**
 * The evidence pack of an audit: a ZIP an auditor can check without the server.
 *
 *   manifest.json      every control, result and evidence item, and the SHA-256 of every other file
 *   manifest.sha256    the SHA-256 of manifest.json (also written to the audit log at export)
 *   summary.pdf        scope, results and statistics
 *   evidence/<id>.html each evidence item rendered readably
 *   files/<sha256>/<name>  the frozen files, each distinct content once
 *
 * It is streamed: renderings are made twice (once to hash them for the manifest, once to send),
 * and files are read from storage one at a time, so memory stays flat however large the audit.
 */

export const PACK_FORMAT = 'opsdeck-evidence-pack/1';
const ITEMS_BATCH = 500;

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A file name safe in any ZIP tool: no directories, no control characters. */
function safeName(name: string): string {
  const cleaned = name
    .replace(/[\\/:*?"<>|]+/g, '_')
    .replace(/\p{Cc}+/gu, '_')
    .replace(/^\.+/, '_')
    .slice(0, 150);
  return cleaned || 'file';
}

function filePath(evidence: Pick<AuditEvidence, 'sha256' | 'fileName'>): string {
  return `files/${evidence.sha256}/${safeName(evidence.fileName ?? 'file')}`;
}

function renderValue(value: unknown): string {
  if (value === null || value === undefined) return '<span class="none">—</span>';
  if (typeof value === 'object') return `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
  return escapeHtml(String(value));
}

/** One evidence item as a small self-contained HTML page (deterministic: same input, same bytes). */
export function renderEvidence(audit: Audit, item: AuditItem, evidence: AuditEvidence): Buffer {
  const fields =
    evidence.recordJson && typeof evidence.recordJson === 'object'
      ? Object.entries(evidence.recordJson as Record<string, unknown>)
      : [];
  const rows = [
    ['Audit', audit.name],
    ['Control', `${item.refId} ${item.title}`],
    ['Source', evidence.source],
    ['Record', evidence.recordType ? `${evidence.recordType} ${evidence.recordId}` : null],
    ['Justification', evidence.justification],
    ['Evidence date', evidence.evidenceDate],
    ['Frozen at', evidence.frozenAt.toISOString()],
    ['File', evidence.sha256 ? `${filePath(evidence)} (SHA-256 ${evidence.sha256})` : null],
  ] as const;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(evidence.displayName)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}th{width:14rem;color:#555;font-weight:600}pre{margin:0;white-space:pre-wrap}.none{color:#999}</style>
</head><body>
<h1>${escapeHtml(evidence.displayName)}</h1>
<table>${rows.map(([label, value]) => `<tr><th>${label}</th><td>${renderValue(value)}</td></tr>`).join('')}</table>
${fields.length ? `<h2>The record as it was</h2><table>${fields.map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${renderValue(value)}</td></tr>`).join('')}</table>` : ''}
</body></html>
`;
  return Buffer.from(html, 'utf8');
}

async function* itemPages(ctx: ServiceContext, auditId: string) {
  for (let offset = 0; ; offset += ITEMS_BATCH) {
    const items = await ctx.db
      .select()
      .from(auditItems)
      .where(eq(auditItems.auditId, auditId))
      .orderBy(asc(auditItems.position))
      .limit(ITEMS_BATCH)
      .offset(offset);
    if (items.length === 0) return;
    const evidence = await ctx.db
      .select()
      .from(auditEvidence)
      .where(
        inArray(
          auditEvidence.itemId,
          items.map((i) => i.id),
        ),
      )
      .orderBy(asc(auditEvidence.frozenAt), asc(auditEvidence.id));
    // The thread with the auditors belongs in the pack; the team's internal one does not.
    const comments = await ctx.db
      .select()
      .from(auditComments)
      .where(
        and(
          inArray(
            auditComments.itemId,
            items.map((i) => i.id),
          ),
          eq(auditComments.audience, 'auditor'),
        ),
      )
      .orderBy(asc(auditComments.createdAt), asc(auditComments.id));
    yield { items, evidence, comments };
  }
}

interface PackFinding {
  title: string;
  severity: string;
  status: string;
  dueDate: string | null;
  control: string | null;
}

async function summaryPdf(
  audit: Audit,
  counts: Record<string, number>,
  evidenceBySource: Record<string, number>,
  findings: PackFinding[],
) {
  return renderPdf(`Audit: ${audit.name}`, (doc) => {
    heading(doc, 'Scope');
    paragraph(
      doc,
      `${audit.frameworkName}, period ${audit.periodStart} to ${audit.periodEnd}; ${audit.scope === 'selection' ? 'a selection of controls' : 'every applicable control'}. Evidence frozen ${audit.frozenAsOf.toISOString().slice(0, 16).replace('T', ' ')} UTC, automated evidence over ${audit.lookbackMonths} months. Status ${audit.status}${audit.outcome ? `, outcome ${audit.outcome}` : ''}${audit.locked ? `; locked: ${audit.lockReason ?? ''}` : ''}.`,
    );
    heading(doc, 'Results');
    table(
      doc,
      [
        { header: 'Result', width: 200 },
        { header: 'Controls', width: 80, align: 'right' },
      ],
      Object.entries(counts).map(([result, n]) => [result.replace(/_/g, ' '), String(n)]),
    );
    heading(doc, 'Findings');
    if (findings.length === 0) paragraph(doc, 'None.');
    else {
      table(
        doc,
        [
          { header: 'Severity', width: 60 },
          { header: 'Finding', width: 220 },
          { header: 'Control', width: 70 },
          { header: 'Status', width: 70 },
          { header: 'Due', width: 70 },
        ],
        findings.map((f) => [
          f.severity,
          f.title,
          f.control ?? '—',
          f.status.replace('_', ' '),
          f.dueDate ?? '—',
        ]),
      );
    }
    heading(doc, 'Evidence');
    table(
      doc,
      [
        { header: 'Source', width: 200 },
        { header: 'Items', width: 80, align: 'right' },
      ],
      Object.entries(evidenceBySource).map(([source, n]) => [source, String(n)]),
    );
    paragraph(
      doc,
      'Every file of this pack is listed with its SHA-256 in manifest.json; manifest.sha256 holds the hash of the manifest.',
    );
  });
}

export interface PackPlan {
  manifest: Buffer;
  manifestSha256: string;
  /** Streams the ZIP; call once. */
  stream(): Readable;
}

/** Builds the manifest (hashing every rendering), then returns how to stream the pack. */
export async function planEvidencePack(
  ctx: ServiceContext,
  audit: Audit,
  storage: FileStorage,
): Promise<PackPlan> {
  const files: Array<{ path: string; sha256: string; sizeBytes: number }> = [];
  const manifestItems: unknown[] = [];
  const counts: Record<string, number> = {};
  const evidenceBySource: Record<string, number> = {};
  const packedFiles = new Map<string, { path: string; sizeBytes: number }>();
  // What the manifest lists is what the stream sends, even if evidence is added meanwhile.
  const planned = new Set<string>();
  const items = new Map<string, string>();
  for await (const { items: page, evidence, comments } of itemPages(ctx, audit.id)) {
    for (const item of page) {
      items.set(item.id, item.refId);
      if (item.kind === 'control') counts[item.result] = (counts[item.result] ?? 0) + 1;
      const own = evidence.filter((e) => e.itemId === item.id);
      manifestItems.push({
        refId: item.refId,
        title: item.title,
        kind: item.kind,
        applicable: item.applicable,
        soaJustification: item.soaJustification,
        frozenStatus: item.frozenStatus,
        frozenReason: item.frozenReason,
        result: item.result,
        auditorComment: item.auditorComment,
        comments: comments
          .filter((c) => c.itemId === item.id)
          .map((c) => ({ at: c.createdAt.toISOString(), by: c.createdBy, body: c.body })),
        evidence: own.map((e) => {
          evidenceBySource[e.source] = (evidenceBySource[e.source] ?? 0) + 1;
          planned.add(e.id);
          const rendering = renderEvidence(audit, item, e);
          const renderingPath = `evidence/${e.id}.html`;
          files.push({ path: renderingPath, sha256: sha256(rendering), sizeBytes: rendering.length });
          if (e.sha256 && !packedFiles.has(e.sha256)) {
            const path = filePath(e);
            packedFiles.set(e.sha256, { path, sizeBytes: e.sizeBytes ?? 0 });
            files.push({ path, sha256: e.sha256, sizeBytes: e.sizeBytes ?? 0 });
          }
          return {
            id: e.id,
            source: e.source,
            recordType: e.recordType,
            recordId: e.recordId,
            displayName: e.displayName,
            justification: e.justification,
            evidenceDate: e.evidenceDate,
            frozenAt: e.frozenAt.toISOString(),
            rendering: renderingPath,
            ...(e.sha256
              ? { file: { path: packedFiles.get(e.sha256)!.path, sha256: e.sha256, sizeBytes: e.sizeBytes } }
              : {}),
          };
        }),
      });
    }
  }
  const findings = (await ctx.db.select().from(auditFindings).where(eq(auditFindings.auditId, audit.id))).map(
    (f) => ({
      title: f.title,
      description: f.description,
      severity: f.severity,
      status: f.status,
      dueDate: f.dueDate,
      ownerUserId: f.ownerUserId,
      closureNote: f.closureNote,
      control: items.get(f.itemId ?? '') ?? null,
    }),
  );
  const pdf = await summaryPdf(audit, counts, evidenceBySource, findings);
  files.unshift({ path: 'summary.pdf', sha256: sha256(pdf), sizeBytes: pdf.length });
  const manifest = Buffer.from(
    `${JSON.stringify(
      {
        format: PACK_FORMAT,
        generatedAt: new Date().toISOString(),
        audit: {
          id: audit.id,
          name: audit.name,
          framework: audit.frameworkName,
          periodStart: audit.periodStart,
          periodEnd: audit.periodEnd,
          status: audit.status,
          outcome: audit.outcome,
          frozenAsOf: audit.frozenAsOf.toISOString(),
          locked: audit.locked,
        },
        results: counts,
        findings,
        items: manifestItems,
        files,
      },
      null,
      1,
    )}\n`,
  );
  const manifestSha256 = sha256(manifest);
  return {
    manifest,
    manifestSha256,
    stream() {
      const zip = new yazl.ZipFile();
      const output = zip.outputStream as unknown as Readable;
      zip.addBuffer(manifest, 'manifest.json');
      zip.addBuffer(Buffer.from(`${manifestSha256}  manifest.json\n`), 'manifest.sha256');
      zip.addBuffer(pdf, 'summary.pdf', { compress: false });
      void (async () => {
        try {
          for await (const { items, evidence } of itemPages(ctx, audit.id)) {
            const byId = new Map(items.map((i) => [i.id, i]));
            for (const e of evidence) {
              if (!planned.has(e.id)) continue;
              // Rendered only when the ZIP reaches it: yazl deflates every buffer handed to it at
              // once, and 20,000 deflate streams at once would take gigabytes.
              const item = byId.get(e.itemId)!;
              zip.addReadStreamLazy(`evidence/${e.id}.html`, {}, (callback) =>
                callback(null, Readable.from([renderEvidence(audit, item, e)])),
              );
            }
          }
          for (const [hash, file] of packedFiles) {
            // Opened only when the ZIP reaches it: one file descriptor at a time.
            zip.addReadStreamLazy(file.path, { compress: false }, (callback) =>
              callback(null, storage.open(hash)),
            );
          }
          zip.end();
        } catch (error) {
          output.destroy(error as Error);
        }
      })();
      return output;
    },
  };
}
