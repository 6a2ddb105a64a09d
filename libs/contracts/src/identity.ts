import { z } from 'zod';
import {
  addressSchema,
  emailSchema,
  hexSchema,
  idSchema,
  isoDateSchema,
  memberDataRequestSchema,
} from './common.ts';
import { rpcSubject } from './contexts.ts';
import { defineEvent, defineRpc } from './define.ts';

// ---------- shared shapes ----------

export const memberSchema = z.object({
  id: idSchema,
  displayName: z.string().nullable(),
  bio: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  /** EIP-55 checksummed. */
  wallets: z.array(addressSchema),
  emails: z.array(z.string()),
  createdAt: isoDateSchema,
});
export type Member = z.infer<typeof memberSchema>;

/** A new session: the opaque token goes to the client once and is stored only as a hash. */
export const issuedSessionSchema = z.object({
  id: idSchema,
  token: z.string().min(43),
  expiresAt: isoDateSchema,
});

const signedInSchema = z.object({ member: memberSchema, session: issuedSessionSchema, created: z.boolean() });

/** Who is asking, for rate limits and audit; filled in by the gateway. */
const clientSchema = z.object({
  ip: z.string().max(64).optional(),
  userAgent: z.string().max(512).optional(),
});

/** What identity holds about a member (`GET /v1/me/data`): never a token, code or hash of one. */
export const identityMemberDataSchema = z.object({
  member: z.object({
    id: idSchema,
    displayName: z.string().nullable(),
    bio: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    createdAt: isoDateSchema,
    erasedAt: isoDateSchema.nullable(),
  }),
  wallets: z.array(z.object({ address: addressSchema, linkedAt: isoDateSchema })),
  emails: z.array(z.object({ email: z.string(), verifiedAt: isoDateSchema })),
  /** Session metadata only: the tokens are never stored, their hashes never leave identity. */
  sessions: z.array(
    z.object({
      id: idSchema,
      method: z.string(),
      createdAt: isoDateSchema,
      lastSeenAt: isoDateSchema,
      expiresAt: isoDateSchema,
      revokedAt: isoDateSchema.nullable(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
    }),
  ),
});
export type IdentityMemberData = z.infer<typeof identityMemberDataSchema>;

/** The display name an erased member keeps, so feeds and member lists still read. */
export const ERASED_MEMBER_NAME = 'Deleted member';

const siweProofSchema = z.object({
  message: z
    .string()
    .min(1)
    .max(64 * 1024),
  signature: hexSchema.max(20_000),
});

// ---------- RPC ----------

export const identityRpc = {
  siweNonce: defineRpc({
    subject: rpcSubject('identity', 'siweNonce'),
    request: z.object({}).strict(),
    response: z.object({ nonce: z.string(), expiresAt: isoDateSchema }),
  }),
  siweVerify: defineRpc({
    subject: rpcSubject('identity', 'siweVerify'),
    request: siweProofSchema.extend({ client: clientSchema.default({}) }),
    response: signedInSchema,
  }),
  emailStart: defineRpc({
    subject: rpcSubject('identity', 'emailStart'),
    request: z.object({ email: emailSchema, client: clientSchema.default({}) }),
    response: z.object({ accepted: z.literal(true) }),
  }),
  emailVerify: defineRpc({
    subject: rpcSubject('identity', 'emailVerify'),
    request: z.object({ email: emailSchema, code: z.string().max(32), client: clientSchema.default({}) }),
    response: signedInSchema,
  }),
  emailMagicLink: defineRpc({
    subject: rpcSubject('identity', 'emailMagicLink'),
    request: z.object({ token: z.string().min(1).max(256), client: clientSchema.default({}) }),
    response: signedInSchema,
  }),
  resolveSession: defineRpc({
    subject: rpcSubject('identity', 'resolveSession'),
    request: z.object({ token: z.string().min(1).max(256) }),
    response: z.object({
      session: z.object({ id: idSchema, memberId: idSchema, expiresAt: isoDateSchema }).nullable(),
    }),
  }),
  logout: defineRpc({
    subject: rpcSubject('identity', 'logout'),
    request: z.object({ token: z.string().min(1).max(256) }),
    response: z.object({ revoked: z.number().int() }),
  }),
  logoutAll: defineRpc({
    subject: rpcSubject('identity', 'logoutAll'),
    request: z.object({ memberId: idSchema }),
    response: z.object({ revoked: z.number().int() }),
  }),
  getMember: defineRpc({
    subject: rpcSubject('identity', 'getMember'),
    request: z.object({ memberId: idSchema }),
    response: z.object({ member: memberSchema.nullable() }),
  }),
  getMembers: defineRpc({
    subject: rpcSubject('identity', 'getMembers'),
    request: z.object({ memberIds: z.array(idSchema).max(1_000) }),
    response: z.object({ members: z.array(memberSchema) }),
  }),
  memberByAddress: defineRpc({
    subject: rpcSubject('identity', 'memberByAddress'),
    request: z.object({ address: addressSchema }),
    response: z.object({ memberId: idSchema.nullable() }),
  }),
  updateProfile: defineRpc({
    subject: rpcSubject('identity', 'updateProfile'),
    request: z.object({
      memberId: idSchema,
      displayName: z.string().trim().min(1).max(80).nullable().optional(),
      bio: z.string().max(2_000).nullable().optional(),
      avatarUrl: z
        .url({ protocol: /^https?$/ })
        .max(2_048)
        .nullable()
        .optional(),
    }),
    response: z.object({ member: memberSchema }),
  }),
  linkWallet: defineRpc({
    subject: rpcSubject('identity', 'linkWallet'),
    request: siweProofSchema.extend({ memberId: idSchema }),
    response: z.object({ member: memberSchema }),
  }),
  linkEmailStart: defineRpc({
    subject: rpcSubject('identity', 'linkEmailStart'),
    request: z.object({ memberId: idSchema, email: emailSchema, client: clientSchema.default({}) }),
    response: z.object({ accepted: z.literal(true) }),
  }),
  linkEmailVerify: defineRpc({
    subject: rpcSubject('identity', 'linkEmailVerify'),
    request: z.object({ memberId: idSchema, email: emailSchema, code: z.string().max(32) }),
    response: z.object({ member: memberSchema }),
  }),
  /** `GET /v1/me/data`: profile, wallets, emails and session metadata. 404 `member_not_found`. */
  exportMemberData: defineRpc({
    subject: rpcSubject('identity', 'exportMemberData'),
    request: memberDataRequestSchema,
    response: identityMemberDataSchema,
  }),
  /**
   * `DELETE /v1/me/data`: pseudonymises the member (profile cleared, emails removed, wallets
   * unlinked, every session revoked) and publishes `identity.member.erased.v1`, on which the
   * other contexts scrub what they hold. Idempotent: a second call answers the first erasure.
   */
  eraseMember: defineRpc({
    subject: rpcSubject('identity', 'eraseMember'),
    request: z.object({ memberId: idSchema }),
    response: z.object({
      erasure: z.object({ memberId: idSchema, requestedAt: isoDateSchema, alreadyErased: z.boolean() }),
    }),
  }),
};

// ---------- events ----------

export const memberRegisteredV1 = defineEvent({
  type: 'identity.member.registered',
  version: 1,
  data: z.object({
    memberId: idSchema,
    method: z.enum(['siwe', 'email']),
    address: addressSchema.optional(),
  }),
});

/** One per sign-in; analytics counts active members (DAU/MAU) from it. */
export const memberSignedInV1 = defineEvent({
  type: 'identity.member.signed-in',
  version: 1,
  data: z.object({
    memberId: idSchema,
    sessionId: idSchema,
    method: z.enum(['siwe', 'email', 'magic-link']),
  }),
});

export const walletLinkedV1 = defineEvent({
  type: 'identity.wallet.linked',
  version: 1,
  data: z.object({ memberId: idSchema, address: addressSchema }),
});

export const walletUnlinkedV1 = defineEvent({
  type: 'identity.wallet.unlinked',
  version: 1,
  data: z.object({ memberId: idSchema, address: addressSchema }),
});

/** Gateways drop cached sessions on it: `all` revokes every session of the member. */
export const sessionRevokedV1 = defineEvent({
  type: 'identity.session.revoked',
  version: 1,
  data: z.object({ memberId: idSchema, sessionIds: z.array(idSchema), all: z.boolean() }),
});

/**
 * A member asked to be forgotten (`DELETE /v1/me/data`). Identity has already pseudonymised them
 * (in the same transaction); every other context scrubs the personal free text it holds about
 * `memberId` and keeps its ledgers, votes and tallies, keyed by the now meaningless id.
 */
export const memberErasedV1 = defineEvent({
  type: 'identity.member.erased',
  version: 1,
  data: z.object({ memberId: idSchema, requestedAt: isoDateSchema }),
});

export const identityEvents = [
  memberRegisteredV1,
  memberSignedInV1,
  walletLinkedV1,
  walletUnlinkedV1,
  sessionRevokedV1,
  memberErasedV1,
] as const;
