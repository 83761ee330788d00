import type { FastifyRequest } from 'fastify';
import { badRequest, HttpProblem } from '../http/problem';

/** The fields an import form may carry beside its file. */
const MAX_FIELDS = 6;

export interface Upload {
  bytes: Buffer;
  fields: Record<string, string>;
}

const tooLarge = (maxBytes: number) =>
  new HttpProblem(413, 'Payload too large', `Files may be at most ${Math.round(maxBytes / 1048576)} MB.`, [
    { path: 'file', message: 'is too large' },
  ]);

/**
 * Reads a multipart import form: one `file` part (at most `maxBytes`, 413 beyond) and a few short
 * text fields (at most `maxFieldBytes` each). The file is read whole: the CSV parser needs all of
 * it, and the upload limit bounds it.
 */
export async function readUpload(
  request: FastifyRequest,
  maxBytes: number,
  maxFieldBytes: number,
): Promise<Upload> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes + 128 * 1024) throw tooLarge(maxBytes);
  if (!request.isMultipart()) {
    throw new HttpProblem(415, 'Unsupported media type', 'Send the file as multipart/form-data.');
  }
  let bytes: Buffer | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({
      limits: {
        fileSize: maxBytes,
        fieldSize: maxFieldBytes,
        fields: MAX_FIELDS,
        files: 1,
        parts: MAX_FIELDS + 1,
      },
    })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw badRequest('Send the file in the field "file".', [
            { path: part.fieldname, message: 'is not a known field' },
          ]);
        }
        bytes = await part.toBuffer();
      } else {
        if (part.valueTruncated) {
          throw new HttpProblem(
            413,
            'Payload too large',
            `${part.fieldname} is longer than ${maxFieldBytes} bytes.`,
            [{ path: part.fieldname, message: `must be at most ${maxFieldBytes} bytes` }],
          );
        }
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw new HttpProblem(
        413,
        'Payload too large',
        'The form has more parts than an import takes: one file and its options.',
      );
    }
    // Anything else the multipart reader throws (no boundary, a body cut short) is the sender's.
    throw badRequest('The upload is not a valid multipart form.', [
      { path: 'file', message: 'is not a valid multipart form' },
    ]);
  }
  if (!bytes) throw badRequest('No file was sent.', [{ path: 'file', message: 'is required' }]);
  return { bytes, fields };
}
