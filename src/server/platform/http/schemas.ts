import { z } from 'zod';

/** Building blocks for contracts: every string has a maximum, every id is a UUID. */
export const idSchema = z.uuid();
export const idParams = z.object({ id: z.uuid() });
export const shortText = (max = 200) => z.string().trim().min(1).max(max);
export const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();
export const longText = (max = 10_000) => z.string().max(max);
export const isoDate = z.iso.date();
export const timestamp = z
  .date()
  .transform((d) => d.toISOString())
  .or(z.string());
export const versionField = z.number().int().min(1);

export const customFieldsInput = z
  .record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .refine((v) => Object.keys(v).length <= 100, 'at most 100 custom fields');

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  });
}

export const okResponse = z.object({ ok: z.literal(true) });
