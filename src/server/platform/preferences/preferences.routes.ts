import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { unauthorized } from '../http/problem';
import { standardErrors } from '../http/problem.schemas';
import { serviceContext } from '../http/request-context';
import { access } from '../rbac/route-access';
import { getPreference, resetPreference, setPreference } from './preferences.service';

/** Larger than any real layout (a hundred long column keys), small enough to bound what one person stores. */
export const MAX_LIST_COLUMNS_BYTES = 16 * 1024;

const listKeyParams = z.strictObject({
  listKey: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be a list name: a-z, 0-9, _ and -, at most 64 characters'),
});

const columnKey = z
  .string()
  .regex(
    /^[A-Za-z0-9_.:-]{1,100}$/,
    'must be a column key: letters, digits, _ . : -, at most 100 characters',
  );
const columnKeys = z
  .array(columnKey)
  .max(100)
  .refine((keys) => new Set(keys).size === keys.length, 'must not repeat a column');

const listColumnsBody = z
  .strictObject({
    /** Column keys in the order shown; columns not named keep their default place after these. */
    order: columnKeys,
    /** Column keys not shown. */
    hidden: columnKeys,
  })
  .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= MAX_LIST_COLUMNS_BYTES, {
    message: `must be at most ${MAX_LIST_COLUMNS_BYTES} bytes as JSON`,
  })
  .meta({ id: 'ListColumnsLayout' });

const listColumnsRecord = z
  .object({
    listKey: z.string(),
    order: z.array(z.string()),
    hidden: z.array(z.string()),
    /** When the layout was last saved; null while the list's default applies. */
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'ListColumns' });

const storedColumns = z.object({ order: z.array(z.string()), hidden: z.array(z.string()) });

function me(request: FastifyRequest): string {
  if (request.actor.kind !== 'user') throw unauthorized();
  return request.actor.id;
}

const preferenceKey = (listKey: string) => `list-columns:${listKey}`;

/** My preferences: a list's columns (shown, hidden, order), remembered per person on the server. */
export async function registerPreferenceRoutes(root: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const db = deps.database.db;
  const tags = ['My account'];
  const url = '/api/v1/me/preferences/list-columns/:listKey';

  const present = (listKey: string, row: { value: unknown; updatedAt: Date } | undefined) => {
    const stored = storedColumns.safeParse(row?.value);
    return stored.success && row
      ? { listKey, ...stored.data, updatedAt: row.updatedAt.toISOString() }
      : { listKey, order: [], hidden: [], updatedAt: null };
  };

  app.get(
    url,
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: "Get a list's columns as I arranged them",
        description:
          'Answers empty `order` and `hidden` (and `updatedAt: null`) while I have not arranged them.',
        params: listKeyParams,
        response: { 200: listColumnsRecord, ...standardErrors },
      },
    },
    async (request) => {
      const { listKey } = request.params;
      return present(
        listKey,
        await getPreference(serviceContext(request, db), me(request), preferenceKey(listKey)),
      );
    },
  );

  app.put(
    url,
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: "Remember a list's columns for me",
        description: `At most 100 keys in each of \`order\` and \`hidden\`, ${MAX_LIST_COLUMNS_BYTES} bytes in all.`,
        params: listKeyParams,
        body: listColumnsBody,
        response: { 200: listColumnsRecord, ...standardErrors },
      },
    },
    async (request) => {
      const { listKey } = request.params;
      const row = await setPreference(
        serviceContext(request, db),
        me(request),
        preferenceKey(listKey),
        request.body,
      );
      return present(listKey, row);
    },
  );

  app.delete(
    url,
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: "Forget my arrangement of a list's columns (back to the default)",
        params: listKeyParams,
        response: { 204: z.undefined(), ...standardErrors },
      },
    },
    async (request, reply) => {
      await resetPreference(serviceContext(request, db), me(request), preferenceKey(request.params.listKey));
      return reply.code(204).send();
    },
  );
}
