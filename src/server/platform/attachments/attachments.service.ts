import { createHash } from 'node:crypto';
import path from 'node:path';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { executeReusable } from '../../db/fast-select';
import { type AuditedTable, deleteRecord, insertRecord, insertRecords } from '../audit/write';
import type { ServiceContext } from '../http/context';
import { HttpProblem, notFound, validationFailed } from '../http/problem';
import { canRead } from '../rbac/access';
import { attachments, fileHolds } from './attachments.table';
import type { FileStorage } from './storage';

/** Attachments of one record: more is abuse, and its page would not cope. */
export const MAX_ATTACHMENTS_PER_RECORD = 100;

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

async function attachmentsOf(ctx: ServiceContext, type: string, id: string): Promise<AttachmentRow[]> {
  return executeReusable(
    ctx.db,
    'attachments-of',
    () =>
      ctx.db
        .select()
        .from(attachments)
        .where(
          and(
            eq(attachments.entityType, sql.placeholder('type')),
            eq(attachments.entityId, sql.placeholder('id')),
          ),
        )
        .orderBy(asc(attachments.createdAt), asc(attachments.id)),
    { type, id },
  );
}

/**
 * The record's attachments; none for someone who reads the record without reading its type (an
 * external auditor reads an audit's frozen evidence, not the files attached to it since).
 */
export async function listAttachmentsOf(
  ctx: ServiceContext,
  type: string,
  id: string,
): Promise<AttachmentRecord[]> {
  const owner = ctx.registry?.get(type);
  if (owner && !canRead(ctx, owner)) return [];
  return (await attachmentsOf(ctx, type, id)).map(toAttachmentRecord);
}

/** Advisory lock classes (the first key of the two-key form, which no other lock here uses). */
const OWNER_LOCK = 0x0a77ac01;
const CONTENT_LOCK = 0x0a77ac02;

/** The second key of an advisory lock: 32 bits of the SHA-256 of `name` (a collision only serialises). */
function lockKey(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}

/**
 * Takes a transaction-scoped lock on the bytes of `sha256`. Recording an attachment and removing
 * unreferenced bytes both hold it, so bytes are never removed between an upload storing them and
 * its row committing unseen.
 */
async function lockContent(db: Db, sha256: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${CONTENT_LOCK}::int, ${lockKey(sha256)}::int)`);
}

/** Refuses another attachment when the record has the most it may have. */
export async function assertRoomForAttachment(ctx: ServiceContext, type: string, id: string): Promise<void> {
  const [row] = await ctx.db
    .select({ total: count() })
    .from(attachments)
    .where(and(eq(attachments.entityType, type), eq(attachments.entityId, id)));
  if ((row?.total ?? 0) >= MAX_ATTACHMENTS_PER_RECORD) {
    throw validationFailed([
      { path: 'file', message: `a record can have at most ${MAX_ATTACHMENTS_PER_RECORD} attachments` },
    ]);
  }
}

/**
 * Records an attachment of bytes already in storage. Run it in a transaction: it locks the owner
 * (so the limit holds under concurrent uploads) and the content (see `removeFileIfUnreferenced`)
 * until commit; the caller checks, under that lock, that the bytes are still there.
 */
export async function recordAttachment(
  ctx: ServiceContext,
  owner: { type: string; id: string },
  file: { filename: string; contentType: string; sha256: string; sizeBytes: number },
): Promise<AttachmentRecord> {
  await ctx.db.execute(
    sql`select pg_advisory_xact_lock(${OWNER_LOCK}::int, ${lockKey(`${owner.type}:${owner.id}`)}::int)`,
  );
  await assertRoomForAttachment(ctx, owner.type, owner.id);
  await lockContent(ctx.db, file.sha256);
  const row = await insertRecord(ctx, attachmentAudit, {
    entityType: owner.type,
    entityId: owner.id,
    ...file,
  });
  return toAttachmentRecord(row);
}

export const fileHoldAudit: AuditedTable<typeof fileHolds> = {
  table: fileHolds,
  entityType: 'file_hold',
  label: (row) => `${row.holderType} holds ${row.sha256.slice(0, 12)}`,
};

/**
 * Keeps the bytes of each of `hashes` for a holder other than an attachment (an audit's frozen
 * evidence), under the same content locks as `removeFileIfUnreferenced` (taken in hash order, in
 * one statement), so a removal in flight either runs before or sees the hold.
 */
export async function holdFiles(
  ctx: ServiceContext,
  hashes: Iterable<string>,
  holder: { type: string; id: string },
): Promise<void> {
  const sorted = [...new Set(hashes)].sort();
  if (sorted.length === 0) return;
  const keys = sorted.map((sha256) => lockKey(sha256));
  await ctx.db.execute(
    sql`select pg_advisory_xact_lock(${CONTENT_LOCK}::int, k) from unnest(${`{${keys.join(',')}}`}::int[]) as k`,
  );
  await insertRecords(
    ctx,
    fileHoldAudit,
    sorted.map((sha256) => ({ sha256, holderType: holder.type, holderId: holder.id })),
  );
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

/**
 * Deletes the bytes of `sha256` unless an attachment still references them (identical files are
 * stored once and shared). Runs in its own transaction on `db` (the pool, not a finished
 * transaction), holding the content lock that `recordAttachment` takes. Returns whether it deleted.
 */
export async function removeFileIfUnreferenced(
  db: Db,
  storage: FileStorage,
  sha256: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockContent(tx, sha256);
    const [used] = await tx
      .select({ id: attachments.id })
      .from(attachments)
      .where(eq(attachments.sha256, sha256))
      .limit(1);
    if (used) return false;
    const [held] = await tx
      .select({ id: fileHolds.id })
      .from(fileHolds)
      .where(eq(fileHolds.sha256, sha256))
      .limit(1);
    if (held) return false;
    await storage.remove(sha256);
    return true;
  });
}

/**
 * Called once a transaction that deleted attachment rows has committed, with the hash of each: the
 * caller removes the bytes no attachment references any more (`removeFileIfUnreferenced`).
 */
export type ReleaseFile = (sha256: string) => void;

/** Deletes the record; once that commits, `release` is told its bytes may be unused now. */
export async function removeAttachment(
  ctx: ServiceContext,
  type: string,
  id: string,
  attachmentId: string,
  release: ReleaseFile,
): Promise<void> {
  const row = await findAttachment(ctx, type, id, attachmentId);
  await deleteRecord(ctx, attachmentAudit, attachmentId);
  ctx.afterCommit(() => release(row.sha256));
}

/**
 * Deletes the records (each audited). Bytes other records share stay; pass `release` to remove
 * the rest once the transaction commits (without it, the bytes stay in storage).
 */
export async function removeAllAttachmentsOf(
  ctx: ServiceContext,
  type: string,
  id: string,
  release?: ReleaseFile,
): Promise<void> {
  const rows = await attachmentsOf(ctx, type, id);
  for (const row of rows) await deleteRecord(ctx, attachmentAudit, row.id);
  if (release) {
    const hashes = new Set(rows.map((row) => row.sha256));
    ctx.afterCommit(() => {
      for (const sha256 of hashes) release(sha256);
    });
  }
}
