import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { type FieldError, HttpProblem, problemType } from './problem';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  428: 'Precondition required',
  429: 'Too many requests',
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  problem: HttpProblem,
): FastifyReply {
  const body: Record<string, unknown> = {
    type: problemType(problem.status),
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    instance: request.url.split('?')[0],
    requestId: request.id,
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...problem.extra,
  };
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .serializer((payload: unknown) => JSON.stringify(payload))
    .send(body);
}

interface PgLikeError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/**
 * What may be logged of an error. Drizzle's query errors carry every bound parameter (in their
 * message too), and those can be password hashes, token hashes or encrypted secrets: log the
 * query text and the database's own error, never the parameters.
 */
export function loggable(error: unknown): unknown {
  if (error instanceof Error && 'query' in error && 'params' in error) {
    const cause = postgresError(error) as (PgLikeError & { message?: string }) | undefined;
    return {
      type: error.name,
      query: String((error as { query: unknown }).query),
      code: cause?.code,
      message: cause?.message ?? 'database error',
      stack: error.stack
        ?.split('\n')
        .filter((line) => line.trimStart().startsWith('at '))
        .join('\n'),
    };
  }
  return error;
}

/** Drizzle wraps driver errors; the PostgreSQL error (with its SQLSTATE) is the cause. */
function postgresError(error: unknown): PgLikeError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const candidate = current as PgLikeError & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return undefined;
}

function zodIssuesToFieldErrors(error: FastifyError): FieldError[] {
  // fastify-type-provider-zod: `keyword` is the Zod issue code, `params` the rest of the issue.
  const validation = (
    error as unknown as {
      validation: Array<{
        keyword?: string;
        instancePath?: string;
        message?: string;
        params?: { keys?: string[] };
      }>;
    }
  ).validation;
  const context = (error as unknown as { validationContext?: string }).validationContext;
  return validation.flatMap((v) => {
    const issuePath = v.instancePath?.split('/').filter(Boolean) ?? [];
    // A strict object reports unknown keys at the object's own path; name each key instead.
    if (v.keyword === 'unrecognized_keys' && v.params?.keys?.length) {
      return v.params.keys.map((key) => ({
        path: [...issuePath, key].join('.'),
        message: 'is not a known field',
      }));
    }
    return [{ path: issuePath.join('.') || context || '(root)', message: v.message ?? 'is invalid' }];
  });
}

/**
 * Every failure leaves as problem+json. Known failures keep their status; database constraint
 * violations become 409/422 naming the field; anything unexpected is a logged 500 with no detail.
 */
export function installErrorHandler(app: FastifyInstance, constraintFields: Map<string, string>): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem) return sendProblem(reply, request, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = zodIssuesToFieldErrors(error);
      return sendProblem(
        reply,
        request,
        new HttpProblem(400, 'Bad request', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors),
      );
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: loggable(error), issues: error.cause.issues }, 'response failed its schema');
      return sendProblem(
        reply,
        request,
        new HttpProblem(500, 'Internal server error', 'The server could not complete the request.'),
      );
    }
    const pg = postgresError(error);
    if (pg?.code === '23505') {
      const field = (pg.constraint && constraintFields.get(pg.constraint)) ?? 'id';
      return sendProblem(
        reply,
        request,
        new HttpProblem(409, 'Conflict', `${field}: is already in use`, [
          { path: field, message: 'is already in use' },
        ]),
      );
    }
    if (pg?.code === '40P01' || pg?.code === '40001') {
      return sendProblem(
        reply,
        request,
        new HttpProblem(
          409,
          'Conflict',
          'This change collided with another one at the same moment. Please try again.',
        ),
      );
    }
    if (pg?.code === '23503') {
      return sendProblem(
        reply,
        request,
        new HttpProblem(
          409,
          'Conflict',
          'A referenced record does not exist, or this record is still referenced.',
        ),
      );
    }
    // 22021/22P05: a NUL character, which PostgreSQL text and JSONB cannot hold.
    if (['22P02', '22007', '22008', '22003', '22021', '22P05'].includes(pg?.code ?? '')) {
      return sendProblem(
        reply,
        request,
        new HttpProblem(400, 'Bad request', 'A value has an invalid format.'),
      );
    }
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    if (status === 500) {
      request.log.error({ err: loggable(error) }, 'unhandled error');
      return sendProblem(
        reply,
        request,
        new HttpProblem(500, 'Internal server error', 'The server could not complete the request.'),
      );
    }
    return sendProblem(
      reply,
      request,
      new HttpProblem(status, STATUS_TITLES[status] ?? 'Request error', error.message),
    );
  });
}
