import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { type AuditedTable, deleteRecord, insertRecord } from '../audit/write';
import type { ServiceContext } from '../http/context';
import { HttpProblem, notFound } from '../http/problem';
import { attachments } from './attachments.table';

export const attachmentAudit: AuditedTable<typeof attachments> = {
  table: attachments,
  entityType: 'attachment',
  label: (row) => row.filename,
};

/**
 * Extensions we accept, each with the content type we serve it as. The server decides the type;
 * the client's claim is not trusted. HTML, SVG, scripts and executables are not accepted at all.
 */
export const ALLOWED_EXTENSIONS: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  xml: 'application/xml',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  zip: 'application/zip',
  gz: 'application/gzip',
  '7z': 'application/x-7z-compressed',
  eml: 'message/rfc822',
  msg: 'application/vnd.ms-outlook',
  pem: 'application/x-pem-file',
  crt: 'application/x-x509-ca-cert',
  cer: 'application/pkix-cert',
  der: 'application/x-x509-ca-cert',
};

const ACTIVE_CONTENT_TYPES = /html|svg|javascript|ecmascript|xhtml/i;

export const attachmentRecord = z
  .object({
    id: z.uuid(),
    filename: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    createdAt: z.string(),
    createdBy: z.uuid().nullable(),
  })
  .meta({ id: 'Attachment' });
export type AttachmentRecord = z.infer<typeof attachmentRecord>;

type AttachmentRow = typeof attachments.$inferSelect;

export function toAttachmentRecord(row: AttachmentRow): AttachmentRecord {
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}

/** Checks name and declared type; returns the safe file name and the type we will serve. */
export function vetUpload(filename: string, declaredType: string): { filename: string; contentType: string } {
  const base = path
    .basename(filename.replace(/\\/g, '/'))
    .split('')
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  if (base.length === 0 || base.length > 255) {
    throw new HttpProblem(422, 'Validation failed', 'file: the file name must be 1 to 255 characters', [
      { path: 'file', message: 'the file name must be 1 to 255 characters' },
    ]);
  }
  const extension = path.extname(base).slice(1).toLowerCase();
  const contentType = ALLOWED_EXTENSIONS[extension];
  if (!contentType || ACTIVE_CONTENT_TYPES.test(declaredType)) {
    throw new HttpProblem(
      415,
      'Unsupported media type',
      `Files of type .${extension || '?'} are not accepted.`,
      [{ path: 'file', message: `accepted types: ${Object.keys(ALLOWED_EXTENSIONS).join(', ')}` }],
    );
  }
  return { filename: base, contentType };
}

export async function listAttachmentsOf(
  ctx: ServiceContext,
  type: string,
  id: string,
): Promise<AttachmentRecord[]> {
  const rows = await ctx.db
    .select()
    .from(attachments)
    .where(and(eq(attachments.entityType, type), eq(attachments.entityId, id)))
    .orderBy(asc(attachments.createdAt));
  return rows.map(toAttachmentRecord);
}

export async function recordAttachment(
  ctx: ServiceContext,
  owner: { type: string; id: string },
  file: { filename: string; contentType: string; sha256: string; sizeBytes: number },
): Promise<AttachmentRecord> {
  const row = await insertRecord(ctx, attachmentAudit, {
    entityType: owner.type,
    entityId: owner.id,
    ...file,
  });
  return toAttachmentRecord(row);
}

export async function findAttachment(
  ctx: ServiceContext,
  type: string,
  id: string,
  attachmentId: string,
): Promise<AttachmentRow> {
  const [row] = await ctx.db
    .select()
    .from(attachments)
    .where(
      and(eq(attachments.id, attachmentId), eq(attachments.entityType, type), eq(attachments.entityId, id)),
    );
  if (!row) throw notFound('Attachment');
  return row;
}

export async function removeAttachment(
  ctx: ServiceContext,
  type: string,
  id: string,
  attachmentId: string,
): Promise<void> {
  await findAttachment(ctx, type, id, attachmentId);
  await deleteRecord(ctx, attachmentAudit, attachmentId);
}

/** Bytes stay in storage (other records may share them); only the record goes. */
export async function removeAllAttachmentsOf(ctx: ServiceContext, type: string, id: string): Promise<void> {
  for (const row of await listAttachmentsOf(ctx, type, id)) await deleteRecord(ctx, attachmentAudit, row.id);
}
