import { STATUS_CODES } from 'node:http';
import { type Static, Type } from '@sinclair/typebox';

const PROBLEM_TYPE_BASE = 'https://coterie.dev/problems/';

/**
 * The one place the gateway maps its own codes to statuses. Domain codes (`siwe_expired`,
 * `wallet_taken`, …) are not listed: they arrive in an AppError that carries its status.
 */
const STATUS_BY_CODE = {
  invalid_request: 400,
  unauthorized: 401,
  /** No (live) session cookie on a route that needs a signed-in member. */
  unauthenticated: 401,
  forbidden: 403,
  /** A cookie-authenticated state-changing request without a matching Origin or `X-Coterie-CSRF: 1`. */
  csrf_failed: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  bad_gateway: 502,
  service_unavailable: 503,
  service_timeout: 504,
} as const satisfies Record<string, number>;

export type ProblemCode = keyof typeof STATUS_BY_CODE;

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    code: Type.String({ description: 'stable machine code (API.md)' }),
  },
  { $id: 'Problem', title: 'Problem (RFC 9457)' },
);
export type Problem = Static<typeof ProblemSchema>;

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Type.Ref(ProblemSchema) } },
});

/** Error responses every route can give, for its `response` schema and the OpenAPI document. */
export const problemResponses = {
  '4xx': problemResponse('The request was refused (RFC 9457 problem)'),
  '5xx': problemResponse('The gateway or a service failed (RFC 9457 problem)'),
};

export function statusOfCode(code: string, fallback = 500): number {
  return Object.hasOwn(STATUS_BY_CODE, code) ? STATUS_BY_CODE[code as ProblemCode] : fallback;
}

/** For errors that only have a status (Fastify's own, plugins'): the gateway code for it. */
export function codeOfStatus(status: number): ProblemCode {
  for (const [code, s] of Object.entries(STATUS_BY_CODE)) if (s === status) return code as ProblemCode;
  return status >= 500 ? 'internal' : 'invalid_request';
}

export function problem(code: string, detail: string, status = statusOfCode(code)): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
  };
}
