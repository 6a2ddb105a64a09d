import { z } from 'zod';
import { addressSchema, hexSchema, idSchema, isoDateSchema, memberDataRequestSchema } from './common.ts';
import { rpcSubject } from './contexts.ts';
import { defineEvent, defineRpc } from './define.ts';
import { baseUnitsSchema, chainIdSchema, communityRoleSchema } from './entitlements.ts';

// ---------- proposals ----------

export const PROPOSAL_TYPES = ['single-choice', 'approval', 'weighted', 'quadratic'] as const;
export const proposalTypeSchema = z.enum(PROPOSAL_TYPES);
export type ProposalType = z.infer<typeof proposalTypeSchema>;

export const PROPOSAL_STATUSES = ['pending', 'active', 'closed'] as const;
export const proposalStatusSchema = z.enum(PROPOSAL_STATUSES);
export type ProposalStatus = z.infer<typeof proposalStatusSchema>;

export const PROPOSAL_BODY_MAX = 20_000;
export const PROPOSAL_CHOICES_MIN = 2;
export const PROPOSAL_CHOICES_MAX = 20;

const choicesSchema = z
  .array(z.string().trim().min(1).max(200))
  .min(PROPOSAL_CHOICES_MIN)
  .max(PROPOSAL_CHOICES_MAX)
  .refine((choices) => new Set(choices).size === choices.length, 'choices must be unique');

/** Blocks and amounts travel as decimal strings (bigint on both ends, never floats). */
export const blockNumberSchema = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, 'must be a decimal block number');

/** Quorum on the total voting power that took part: an absolute amount, or basis points of the supply at the snapshot. */
export const quorumSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('absolute'), value: baseUnitsSchema }).strict(),
  z
    .object({
      kind: z.literal('percent-of-supply'),
      /** 1 bp = 0.01 %; for `tier-member` the "supply" is the number of eligible members. */
      bps: z.number().int().min(1).max(10_000),
    })
    .strict(),
]);
export type Quorum = z.infer<typeof quorumSchema>;

const tokenParamsSchema = z.object({ chainId: chainIdSchema, token: addressSchema }).strict();

/** Token strategies: power is read at the proposal's snapshot block. */
export const tokenStrategySchema = z.discriminatedUnion('kind', [
  /** `balanceOf(voter)` at the snapshot block. */
  z.object({ kind: z.literal('erc20-balance'), params: tokenParamsSchema }).strict(),
  /** ERC20Votes `getPastVotes(voter, snapshot)`: delegated power only (undelegated tokens count 0). */
  z.object({ kind: z.literal('erc20-votes'), params: tokenParamsSchema }).strict(),
  /** ERC-721 `balanceOf(voter)` at the snapshot block: one vote per token. */
  z.object({ kind: z.literal('erc721-count'), params: tokenParamsSchema }).strict(),
]);
export type TokenStrategy = z.infer<typeof tokenStrategySchema>;

export const tierMemberStrategySchema = z
  .object({
    kind: z.literal('tier-member'),
    params: z
      .object({
        /** One vote per member holding a tier of at least this rank when the proposal was created. */
        minRank: z.number().int().min(1).max(1_000),
        /** The chain of the signing domain (and of ERC-1271 wallets); default: the first configured chain. */
        chainId: chainIdSchema.optional(),
      })
      .strict(),
  })
  .strict();

export const strategySchema = z.discriminatedUnion('kind', [
  ...tokenStrategySchema.options,
  tierMemberStrategySchema,
]);
export type Strategy = z.infer<typeof strategySchema>;
export type StrategyKind = Strategy['kind'];

/** The live (or, once closed, final) result; `scores[i]` belongs to `choices[i]`. */
export const tallySchema = z.object({
  /** `power` for every type but quadratic, whose scores are integer square roots of power (`sqrt-power`). */
  unit: z.enum(['power', 'sqrt-power']),
  scores: z.array(baseUnitsSchema),
  /** Sum of the voters' power (the quorum is measured on it). */
  totalPower: baseUnitsSchema,
  votes: z.number().int().min(0),
});
export type Tally = z.infer<typeof tallySchema>;

export const voteViewSchema = z.object({
  voter: addressSchema,
  /** The choice exactly as signed (JSON text, 1-based choice numbers). */
  choice: z.string(),
  reason: z.string(),
  power: baseUnitsSchema,
  /** The signed message's timestamp, Unix seconds. */
  timestamp: z.number().int(),
  castAt: isoDateSchema,
});
export type VoteView = z.infer<typeof voteViewSchema>;

export const proposalSchema = z.object({
  id: idSchema,
  communityId: idSchema,
  title: z.string(),
  body: z.string(),
  choices: z.array(z.string()),
  type: proposalTypeSchema,
  startsAt: isoDateSchema,
  endsAt: isoDateSchema,
  quorum: quorumSchema,
  /** The power the quorum asks for, fixed at creation (absolute, or bps of the supply at the snapshot). */
  quorumRequired: baseUnitsSchema,
  strategy: strategySchema,
  chainId: chainIdSchema,
  snapshotBlock: blockNumberSchema,
  createdBy: idSchema,
  createdAt: isoDateSchema,
  status: proposalStatusSchema,
  closedAt: isoDateSchema.nullable(),
  tally: tallySchema,
  quorumReached: z.boolean(),
  /** The vote of one of `viewerAddresses`, if any. */
  myVote: voteViewSchema.nullable(),
});
export type Proposal = z.infer<typeof proposalSchema>;

// ---------- EIP-712 ----------

export const VOTE_PRIMARY_TYPE = 'Vote';

/** The `Vote` struct every wallet signs (EIP-712). `choice` is JSON text; `timestamp` Unix seconds. */
export const VOTE_TYPES = {
  Vote: [
    { name: 'proposalId', type: 'string' },
    { name: 'choice', type: 'string' },
    { name: 'reason', type: 'string' },
    { name: 'voter', type: 'address' },
    { name: 'timestamp', type: 'uint64' },
  ],
} as const;

/** `{name: 'Coterie', version: '1', chainId, salt: keccak256(utf8(communityId))}`. */
export const voteDomainSchema = z
  .object({
    name: z.string().max(100),
    version: z.string().max(20),
    chainId: z.number().int().positive(),
    salt: hexSchema.length(66),
  })
  .strict();
export type VoteDomain = z.infer<typeof voteDomainSchema>;

export const voteMessageSchema = z
  .object({
    proposalId: z.string().max(100),
    /** single-choice: `2`; approval: `[1,3]`; weighted/quadratic: `{"1":3,"2":1}` (choice number → weight). */
    choice: z.string().min(1).max(2_000),
    reason: z.string().max(2_000),
    voter: addressSchema,
    /** uint64 seconds; a decimal string is accepted too (wallet UIs often send one). */
    timestamp: z.union([
      z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      z
        .string()
        .regex(/^[0-9]{1,15}$/)
        .transform(Number),
    ]),
  })
  .strict();
export type VoteMessage = z.infer<typeof voteMessageSchema>;

export const voteTypedDataSchema = z.object({
  domain: voteDomainSchema,
  types: z.object({
    Vote: z.array(z.object({ name: z.string(), type: z.string() })),
  }),
  primaryType: z.literal(VOTE_PRIMARY_TYPE),
  message: voteMessageSchema,
});
export type VoteTypedData = z.infer<typeof voteTypedDataSchema>;

/**
 * A choice before it is encoded: a choice number (single-choice), an array of them (approval),
 * a map choice number → positive integer weight (weighted, quadratic), or that value as JSON text
 * (what a query string carries). Choice numbers start at 1.
 */
export const voteChoiceInputSchema = z.union([
  z.number().int(),
  z.array(z.number().int()).max(PROPOSAL_CHOICES_MAX),
  z.record(z.string().regex(/^[0-9]{1,3}$/), z.number().int()),
  z.string().min(1).max(2_000),
]);
export type VoteChoiceInput = z.infer<typeof voteChoiceInputSchema>;

// ---------- settings ----------

/**
 * Who may open proposals, beside owners and admins (who always may): members with at least a
 * role, members holding at least a tier rank, or holders of at least `min` voting power under a
 * token strategy (measured over their linked wallets at the latest confirmed block).
 */
export const proposerRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('role'), role: communityRoleSchema }).strict(),
  z.object({ kind: z.literal('tier'), minRank: z.number().int().min(1).max(1_000) }).strict(),
  z.object({ kind: z.literal('voting-power'), min: baseUnitsSchema, strategy: tokenStrategySchema }).strict(),
]);
export type ProposerRule = z.infer<typeof proposerRuleSchema>;

export const governanceSettingsSchema = z.object({ proposers: proposerRuleSchema }).strict();
export type GovernanceSettings = z.infer<typeof governanceSettingsSchema>;

/** A community that never saved settings: owners and admins only. */
export const DEFAULT_GOVERNANCE_SETTINGS: GovernanceSettings = { proposers: { kind: 'role', role: 'admin' } };

const pageRequest = {
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};

const viewerAddressesSchema = z.array(addressSchema).max(20).optional();

/** What governance holds about a member (`GET /v1/me/data`). */
export const governanceMemberDataSchema = z.object({
  /** Votes cast by the member's wallets (or counted for the member, tier-member), as signed. */
  votes: z.array(
    z.object({
      proposalId: idSchema,
      communityId: idSchema,
      proposalTitle: z.string(),
      voter: addressSchema,
      choice: z.string(),
      reason: z.string(),
      power: z.string(),
      signature: hexSchema,
      castAt: isoDateSchema,
    }),
  ),
  proposalsAuthored: z.array(
    z.object({
      id: idSchema,
      communityId: idSchema,
      title: z.string(),
      createdAt: isoDateSchema,
      endsAt: isoDateSchema,
      closedAt: isoDateSchema.nullable(),
    }),
  ),
});
export type GovernanceMemberData = z.infer<typeof governanceMemberDataSchema>;

// ---------- RPC ----------

export const governanceRpc = {
  createProposal: defineRpc({
    subject: rpcSubject('governance', 'createProposal'),
    request: z.object({
      actorId: idSchema,
      communityId: idSchema,
      title: z.string().trim().min(1).max(200),
      /** Markdown, stored as given; the web app renders it sanitised. */
      body: z.string().max(PROPOSAL_BODY_MAX).default(''),
      choices: choicesSchema,
      type: proposalTypeSchema,
      startsAt: isoDateSchema,
      endsAt: isoDateSchema,
      quorum: quorumSchema,
      strategy: strategySchema,
    }),
    response: z.object({ proposal: proposalSchema }),
  }),
  listProposals: defineRpc({
    subject: rpcSubject('governance', 'listProposals'),
    request: z.object({
      communityId: idSchema,
      status: proposalStatusSchema.optional(),
      /** The viewer's linked wallets, for `myVote`. */
      viewerAddresses: viewerAddressesSchema,
      ...pageRequest,
    }),
    response: z.object({ items: z.array(proposalSchema), nextCursor: z.string().nullable() }),
  }),
  getProposal: defineRpc({
    subject: rpcSubject('governance', 'getProposal'),
    request: z.object({
      communityId: idSchema,
      proposalId: idSchema,
      viewerAddresses: viewerAddressesSchema,
    }),
    response: z.object({ proposal: proposalSchema }),
  }),
  voteTypedData: defineRpc({
    subject: rpcSubject('governance', 'voteTypedData'),
    request: z.object({
      communityId: idSchema,
      proposalId: idSchema,
      voter: addressSchema,
      choice: voteChoiceInputSchema,
      reason: z.string().max(2_000).default(''),
    }),
    response: voteTypedDataSchema,
  }),
  castVote: defineRpc({
    subject: rpcSubject('governance', 'castVote'),
    request: z.object({
      communityId: idSchema,
      proposalId: idSchema,
      message: voteMessageSchema,
      signature: hexSchema.max(20_000),
      /** Optional: the domain the wallet signed; a mismatch is reported as such instead of as a bad signature. */
      domain: voteDomainSchema.optional(),
    }),
    response: z.object({
      vote: voteViewSchema,
      /** `duplicate`: this exact signed vote was already stored (nothing changed). */
      outcome: z.enum(['created', 'replaced', 'duplicate']),
    }),
  }),
  listVotes: defineRpc({
    subject: rpcSubject('governance', 'listVotes'),
    request: z.object({ communityId: idSchema, proposalId: idSchema, ...pageRequest }),
    response: z.object({
      items: z.array(
        voteViewSchema.extend({
          signature: hexSchema,
          /** Exactly what was verified: re-verify with `verifyTypedData({address: voter, ...typedData, signature})`. */
          typedData: voteTypedDataSchema,
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
  }),
  getSettings: defineRpc({
    subject: rpcSubject('governance', 'getSettings'),
    request: z.object({ communityId: idSchema }),
    response: z.object({ settings: governanceSettingsSchema }),
  }),
  /** Owners and admins only. */
  setSettings: defineRpc({
    subject: rpcSubject('governance', 'setSettings'),
    request: z.object({ actorId: idSchema, communityId: idSchema, settings: governanceSettingsSchema }),
    response: z.object({ settings: governanceSettingsSchema }),
  }),
  /**
   * `GET /v1/me/data`. Governance keys votes by wallet: the gateway passes the member's linked
   * addresses (from identity) with the id.
   */
  exportMemberData: defineRpc({
    subject: rpcSubject('governance', 'exportMemberData'),
    request: memberDataRequestSchema.extend({ addresses: z.array(addressSchema).max(100).default([]) }),
    response: governanceMemberDataSchema,
  }),
};

// ---------- events ----------

export const proposalCreatedV1 = defineEvent({
  type: 'governance.proposal.created',
  version: 1,
  data: z.object({
    proposalId: idSchema,
    communityId: idSchema,
    title: z.string(),
    type: proposalTypeSchema,
    choices: z.array(z.string()),
    startsAt: isoDateSchema,
    endsAt: isoDateSchema,
    strategy: strategySchema,
    quorum: quorumSchema,
    quorumRequired: baseUnitsSchema,
    chainId: chainIdSchema,
    snapshotBlock: blockNumberSchema,
    createdBy: idSchema,
  }),
});

export const voteCastV1 = defineEvent({
  type: 'governance.vote.cast',
  version: 1,
  data: z.object({
    proposalId: idSchema,
    communityId: idSchema,
    voter: addressSchema,
    /** The member behind the wallet when known (always for `tier-member`). */
    memberId: idSchema.nullable(),
    choice: z.string(),
    power: baseUnitsSchema,
    timestamp: z.number().int(),
    /** True when it replaced the voter's earlier vote. */
    replaced: z.boolean(),
  }),
});

export const proposalClosedV1 = defineEvent({
  type: 'governance.proposal.closed',
  version: 1,
  data: z.object({
    proposalId: idSchema,
    communityId: idSchema,
    tally: tallySchema,
    quorumRequired: baseUnitsSchema,
    quorumReached: z.boolean(),
    /** 1-based numbers of the choices with the highest score (ties: several; no votes: none). */
    winners: z.array(z.number().int().min(1)),
    closedAt: isoDateSchema,
  }),
});

export const governanceEvents = [proposalCreatedV1, voteCastV1, proposalClosedV1] as const;
