import { CONTEXTS } from '@coterie/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Readiness } from '../application/check-readiness.ts';
import { problemResponses } from '../problems.ts';

const CheckSchema = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });

const ServiceCheckSchema = Type.Object({
  ok: Type.Boolean(),
  instanceId: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
});

const ReadinessSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
    checks: Type.Object({
      nats: CheckSchema,
      postgres: CheckSchema,
      services: Type.Record(Type.Union(CONTEXTS.map((context) => Type.Literal(context))), ServiceCheckSchema),
    }),
  },
  { title: 'Readiness' },
);

export interface OperationsRoutesOptions {
  checkReadiness(): Promise<Readiness>;
}

/** Probes for orchestrators and operators: liveness, readiness. Never cached. */
export const operationsRoutes: FastifyPluginAsyncTypebox<OperationsRoutesOptions> = async (
  fastify,
  options,
) => {
  fastify.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the gateway process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), ...problemResponses },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' as const };
    },
  );

  fastify.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: NATS, PostgreSQL and all six services answer',
        description: '503 (with the same body) when any check fails or does not answer in time.',
        response: { 200: ReadinessSchema, 503: ReadinessSchema, ...problemResponses },
      },
    },
    async (_request, reply) => {
      const readiness = await options.checkReadiness();
      return reply
        .header('cache-control', 'no-store')
        .code(readiness.status === 'ready' ? 200 : 503)
        .send(readiness);
    },
  );
};
