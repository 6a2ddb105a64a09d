import { analyticsRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { CommunityDirectory } from '../application/community-directory.ts';
import { memberOf, requireMember } from '../plugins/app/session.ts';
import { problemResponses } from '../problems.ts';
import {
  AnalyticsSummarySchema,
  CohortsSchema,
  RangeQuery,
  SeriesQuery,
  SpendAmountSchema,
  SpendMonth,
  TimeseriesSchema,
} from '../schemas/analytics.ts';
import { SlugParams } from '../schemas/entitlements.ts';

export interface AnalyticsRoutesOptions {
  rpc: RpcClient;
  communities: CommunityDirectory;
}

const tags = ['analytics'];
const security = [{ sessionCookie: [] }];
const DEFAULT_RANGE_MS = 30 * 86_400_000;
/** Reads aggregate a range of projections; a long range takes longer than a point lookup. */
const READ_TIMEOUT_MS = 15_000;

/** `[from, to)` as asked; what is missing defaults to the 30 days ending at `to` (or now). */
function rangeOf(query: { from?: string | undefined; to?: string | undefined }, now = new Date()) {
  const to = query.to ?? now.toISOString();
  const from = query.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_MS).toISOString();
  return { from, to };
}

/** A filename safe inside a quoted `Content-Disposition` parameter. */
const safeFilename = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_') || 'export.csv';

/** The creator's dashboard (owner and admins), the NPS survey (members) and acquisition spend. */
export const analyticsRoutes: FastifyPluginAsyncTypebox<AnalyticsRoutesOptions> = async (
  fastify,
  options,
) => {
  const { rpc, communities } = options;

  /** Who asks about which community: analytics answers reads only to its owner and admins. */
  async function reader(request: FastifyRequest & { params: { c: string } }) {
    const community = await communities.bySlug(request.params);
    return { actorId: memberOf(request).memberId, communityId: community.id };
  }

  fastify.get(
    '/v1/communities/:c/analytics/summary',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'KPIs over [from, to) (default: the last 30 days): MRR, churn, activity, NPS, tips, …',
        params: SlugParams,
        querystring: RangeQuery,
        response: { 200: AnalyticsSummarySchema, ...problemResponses },
      },
    },
    async (request) =>
      rpc.call(
        analyticsRpc.summary,
        { ...(await reader(request)), ...rangeOf(request.query) },
        { timeoutMs: READ_TIMEOUT_MS },
      ),
  );

  fastify.get(
    '/v1/communities/:c/analytics/timeseries',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'One metric per day, week or month over [from, to) (default: the last 30 days)',
        params: SlugParams,
        querystring: SeriesQuery,
        response: { 200: TimeseriesSchema, ...problemResponses },
      },
    },
    async (request) =>
      rpc.call(
        analyticsRpc.timeseries,
        {
          ...(await reader(request)),
          metric: request.query.metric,
          interval: request.query.interval ?? 'day',
          ...rangeOf(request.query),
        },
        { timeoutMs: READ_TIMEOUT_MS },
      ),
  );

  fastify.get(
    '/v1/communities/:c/analytics/cohorts',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Monthly retention matrix of paying customers by the month of their first payment',
        params: SlugParams,
        response: { 200: CohortsSchema, ...problemResponses },
      },
    },
    async (request) => rpc.call(analyticsRpc.cohorts, await reader(request), { timeoutMs: READ_TIMEOUT_MS }),
  );

  fastify.get(
    '/v1/communities/:c/analytics/export.csv',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'A metric as CSV (t,value or t,<currency…>), daily unless interval says otherwise',
        params: SlugParams,
        querystring: SeriesQuery,
        response: {
          200: {
            description: 'RFC 4180 CSV, as an attachment',
            content: { 'text/csv': { schema: Type.String() } },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { filename, csv } = await rpc.call(
        analyticsRpc.exportCsv,
        {
          ...(await reader(request)),
          metric: request.query.metric,
          interval: request.query.interval ?? 'day',
          ...rangeOf(request.query),
        },
        { timeoutMs: READ_TIMEOUT_MS },
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${safeFilename(filename)}"`)
        .header('cache-control', 'private, no-store')
        .send(csv);
    },
  );

  fastify.post(
    '/v1/communities/:c/nps',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: "Answer the community's NPS survey (members; once per 30 days)",
        params: SlugParams,
        body: Type.Object(
          {
            score: Type.Integer({ minimum: 0, maximum: 10 }),
            comment: Type.Optional(Type.String({ maxLength: 2_000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            response: Type.Object({
              id: Type.String(),
              score: Type.Integer(),
              submittedAt: Type.String({ format: 'date-time' }),
            }),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const community = await communities.bySlug(request.params);
      const result = await rpc.call(analyticsRpc.submitNps, {
        actorId: memberOf(request).memberId,
        communityId: community.id,
        ...request.body,
      });
      return reply.code(201).send(result);
    },
  );

  fastify.post(
    '/v1/communities/:c/analytics/spend',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: "Enter a month's acquisition spend for CAC (owner or admin); a later entry replaces it",
        params: SlugParams,
        body: Type.Object({ month: SpendMonth, amount: SpendAmountSchema }, { additionalProperties: false }),
        response: {
          201: Type.Object({ spend: Type.Object({ month: Type.String(), amount: SpendAmountSchema }) }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const community = await communities.bySlug(request.params);
      const result = await rpc.call(analyticsRpc.recordSpend, {
        actorId: memberOf(request).memberId,
        communityId: community.id,
        ...request.body,
      });
      return reply.code(201).send(result);
    },
  );
};
