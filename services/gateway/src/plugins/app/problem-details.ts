import { AppError } from '@coterie/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { codeOfStatus, type Problem, ProblemSchema, problem, statusOfCode } from '../../problems.ts';
import { describeValidationError } from './validation-detail.ts';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Every error a request can end in, as the problem a client sees. Never leaks a stack or a 5xx message. */
export function toProblem(error: unknown): Problem {
  if (error instanceof AppError) {
    const status = statusOfCode(error.code, error.status);
    // A status outside 4xx/5xx is a bug in the thrower, not something to send a client.
    if (!(status >= 400 && status <= 599)) return problem('internal', 'internal error');
    return problem(error.code, error.code === 'internal' ? 'internal error' : error.message, status);
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    return problem('invalid_request', describeValidationError(fastifyError as FastifyError));
  }
  // Fastify's and plugins' own client errors (bad JSON, body too large, wrong media type).
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(codeOfStatus(status), fastifyError.message ?? 'bad request', status);
  }
  return problem('internal', 'internal error');
}

function logFailure(request: FastifyRequest, error: unknown, body: Problem): void {
  if (body.status >= 500) request.log.error({ err: error, code: body.code }, 'request failed');
  else request.log.info({ code: body.code, detail: body.detail }, 'request rejected');
}

/** RFC 9457 problem+json for every error response: handler errors, 404s and Fastify's own. */
export const problemDetails = fp(
  async (fastify: FastifyInstance) => {
    fastify.addSchema(ProblemSchema);
    fastify.setErrorHandler((error, request, reply) => {
      const body = toProblem(error);
      logFailure(request, error, body);
      return sendProblem(reply, body);
    });
    fastify.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? request.url;
      return sendProblem(reply, problem('not_found', `no route for ${request.method} ${path}`));
    });
  },
  { name: 'problem-details' },
);
