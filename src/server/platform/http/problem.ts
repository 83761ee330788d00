/**
 * RFC 9457 problem details. Services throw these; the error handler renders them as
 * `application/problem+json`. Anything else that escapes becomes a 500 without internals.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class HttpProblem extends Error {
  constructor(
    public readonly status: number,
    public readonly title: string,
    public readonly detail?: string,
    public readonly errors?: FieldError[],
    /** Extra members, e.g. `current` (the newer record) on a version conflict. */
    public readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem(400, 'Bad request', detail, errors);
export const validationFailed = (errors: FieldError[]) =>
  new HttpProblem(422, 'Validation failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
export const unauthorized = (detail = 'Authentication is required.') =>
  new HttpProblem(401, 'Unauthorized', detail);
export const forbidden = (detail = 'You do not have access to this resource.') =>
  new HttpProblem(403, 'Forbidden', detail);
export const notFound = (what = 'Resource') => new HttpProblem(404, 'Not found', `${what} was not found.`);
export const conflict = (detail: string, extra?: Record<string, unknown>, errors?: FieldError[]) =>
  new HttpProblem(409, 'Conflict', detail, errors, extra);
export const tooManyRequests = (detail: string) => new HttpProblem(429, 'Too many requests', detail);

export const PROBLEM_TYPE_BASE = 'https://opsdeck.dev/problems/';

export function problemType(status: number): string {
  return `${PROBLEM_TYPE_BASE}${status}`;
}
