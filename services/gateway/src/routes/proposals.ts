import { governanceRpc, identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { CommunityDirectory } from '../application/community-directory.ts';
import { memberOf, requireMember } from '../plugins/app/session.ts';
import { problemResponses } from '../problems.ts';
import { PageQuery, SlugParams } from '../schemas/entitlements.ts';

export interface ProposalRoutesOptions {
  rpc: RpcClient;
  communities: CommunityDirectory;
}

const tags = ['governance'];
const security = [{ sessionCookie: [] }];
const Address = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' });
const ProposalParams = Type.Object({ c: SlugParams.properties.c, id: Type.String({ format: 'uuid' }) });
/** Proposal, tally and vote shapes are validated by governance's contract; documented in /docs. */
const ProposalSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    body: Type.String(),
    choices: Type.Array(Type.String()),
    type: Type.String(),
    startsAt: Type.String(),
    endsAt: Type.String(),
    snapshotBlock: Type.String(),
    status: Type.String({ description: 'pending | active | closed' }),
    tally: Type.Unknown(),
    quorumReached: Type.Boolean(),
    myVote: Type.Unknown(),
  },
  { additionalProperties: true, title: 'Proposal' },
);

/** Proposals and signed votes (governance), with the viewer's own vote shown when signed in. */
export const proposalRoutes: FastifyPluginAsyncTypebox<ProposalRoutesOptions> = async (fastify, options) => {
  const { rpc, communities } = options;

  /** The signed-in viewer's wallets, so `myVote` can be found; none when anonymous. */
  async function viewerAddresses(request: FastifyRequest): Promise<string[]> {
    if (!request.session) return [];
    const { member } = await rpc.call(identityRpc.getMember, { memberId: request.session.memberId });
    return member?.wallets.slice(0, 20) ?? [];
  }

  fastify.post(
    '/v1/communities/:c/proposals',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Open a proposal; its snapshot block is fixed now',
        params: SlugParams,
        body: Type.Object({
          title: Type.String({ minLength: 1, maxLength: 200 }),
          body: Type.Optional(Type.String({ maxLength: 20_000 })),
          choices: Type.Array(Type.String(), { minItems: 2, maxItems: 20 }),
          type: Type.Union([
            Type.Literal('single-choice'),
            Type.Literal('approval'),
            Type.Literal('weighted'),
            Type.Literal('quadratic'),
          ]),
          startsAt: Type.String({ format: 'date-time' }),
          endsAt: Type.String({ format: 'date-time' }),
          quorum: Type.Unknown({ description: '{kind:"absolute", value} | {kind:"percent-of-supply", bps}' }),
          strategy: Type.Unknown({
            description: '{kind: erc20-balance|erc20-votes|erc721-count|tier-member, params}',
          }),
        }),
        response: { 201: Type.Object({ proposal: ProposalSchema }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const community = await communities.bySlug(request.params);
      const result = await rpc.call(
        governanceRpc.createProposal,
        { actorId: memberOf(request).memberId, communityId: community.id, ...request.body } as never,
        { timeoutMs: 15_000 },
      );
      return reply.code(201).send(result);
    },
  );

  fastify.get(
    '/v1/communities/:c/proposals',
    {
      schema: {
        tags,
        summary: 'Proposals with live tallies',
        params: SlugParams,
        querystring: Type.Object({
          ...PageQuery.properties,
          status: Type.Optional(
            Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('closed')]),
          ),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(ProposalSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(governanceRpc.listProposals, {
        communityId: community.id,
        viewerAddresses: await viewerAddresses(request),
        limit: request.query.limit ?? 20,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        ...(request.query.status ? { status: request.query.status } : {}),
      });
    },
  );

  fastify.get(
    '/v1/communities/:c/proposals/:id',
    {
      schema: {
        tags,
        summary: 'One proposal: tally, status, quorumReached and myVote',
        params: ProposalParams,
        response: { 200: Type.Object({ proposal: ProposalSchema }), ...problemResponses },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(governanceRpc.getProposal, {
        communityId: community.id,
        proposalId: request.params.id,
        viewerAddresses: await viewerAddresses(request),
      });
    },
  );

  fastify.get(
    '/v1/communities/:c/proposals/:id/vote-typed-data',
    {
      schema: {
        tags,
        summary: 'The EIP-712 typed data for a vote, to sign with eth_signTypedData_v4',
        params: ProposalParams,
        querystring: Type.Object({
          voter: Address,
          choice: Type.String({ minLength: 1, maxLength: 2_000, description: '2 · [1,3] · {"1":2,"3":1}' }),
          reason: Type.Optional(Type.String({ maxLength: 2_000 })),
        }),
        response: {
          200: Type.Object({
            domain: Type.Unknown(),
            types: Type.Unknown(),
            primaryType: Type.String(),
            message: Type.Unknown(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(governanceRpc.voteTypedData, {
        communityId: community.id,
        proposalId: request.params.id,
        voter: request.query.voter,
        choice: request.query.choice,
        reason: request.query.reason ?? '',
      });
    },
  );

  fastify.post(
    '/v1/communities/:c/proposals/:id/votes',
    {
      schema: {
        tags,
        summary: 'Cast (or replace) a signed vote; the signature is the proof, no session needed',
        params: ProposalParams,
        body: Type.Object({
          message: Type.Unknown({ description: 'the typed-data message exactly as signed' }),
          signature: Type.String({ pattern: '^0x[0-9a-fA-F]*$', maxLength: 20_000 }),
          domain: Type.Optional(Type.Unknown()),
        }),
        response: {
          201: Type.Object({
            vote: Type.Object(
              { voter: Type.String(), choice: Type.String(), power: Type.String() },
              { additionalProperties: true },
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const community = await communities.bySlug(request.params);
      const { vote } = await rpc.call(
        governanceRpc.castVote,
        {
          communityId: community.id,
          proposalId: request.params.id,
          message: request.body.message,
          signature: request.body.signature,
          ...(request.body.domain ? { domain: request.body.domain } : {}),
        } as never,
        { timeoutMs: 15_000 },
      );
      return reply.code(201).send({ vote });
    },
  );

  fastify.get(
    '/v1/communities/:c/proposals/:id/votes',
    {
      schema: {
        tags,
        summary: 'Every vote with its signature and typed data, re-verifiable by anyone',
        params: ProposalParams,
        querystring: PageQuery,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Unknown()),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(governanceRpc.listVotes, {
        communityId: community.id,
        proposalId: request.params.id,
        limit: request.query.limit ?? 20,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      });
    },
  );
};
