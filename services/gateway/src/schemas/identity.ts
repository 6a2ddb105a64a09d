import { AppError, type Member } from '@coterie/contracts';
import { type Static, type StringOptions, Type } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeValidationError } from '../plugins/app/validation-detail.ts';

/** TypeBox shapes of the Identity part of API.md, shared by the auth and /v1/me routes. */

/**
 * `string | null` as one JSON Schema type list. An `anyOf` of string and null would let Fastify's
 * type coercion turn a `null` in a request body into `""` before the null branch is tried.
 */
export const NullableString = (options: StringOptions = {}) =>
  Type.Unsafe<string | null>({ ...Type.String(options), type: ['string', 'null'] });

export const MemberSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    displayName: NullableString(),
    bio: NullableString(),
    avatarUrl: NullableString(),
    wallets: Type.Array(Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }), {
      description: 'EIP-55 checksummed addresses',
    }),
    emails: Type.Array(Type.String()),
  },
  { title: 'Member' },
);
export type MemberView = Static<typeof MemberSchema>;

export const MemberResponseSchema = Type.Object({ member: MemberSchema });

/** Only the fields API.md promises; identity's other fields stay inside. */
export function toMemberView(member: Member): MemberView {
  return {
    id: member.id,
    displayName: member.displayName,
    bio: member.bio,
    avatarUrl: member.avatarUrl,
    wallets: member.wallets,
    emails: member.emails,
  };
}

export const MembershipSchema = Type.Object(
  {
    community: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
    tier: Type.Union([
      Type.Object({ id: Type.String(), name: Type.String(), rank: Type.Integer() }),
      Type.Null(),
    ]),
    via: Type.Array(Type.Unknown()),
    since: Type.String({ format: 'date-time' }),
    validUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'Membership' },
);

/** What a SIWE sign-in or wallet link posts: the EIP-4361 text and its personal_sign signature. */
export const SiweProofSchema = Type.Object(
  {
    message: Type.String({ minLength: 1, maxLength: 64 * 1024, description: 'EIP-4361 message text' }),
    signature: Type.String({
      pattern: '^0x[0-9a-fA-F]*$',
      maxLength: 20_000,
      description: '0x-hex: 65-byte EOA signature, ERC-1271 or ERC-6492 wrapped',
    }),
  },
  { additionalProperties: false },
);

/**
 * The SIWE routes' body limit. Real messages are < 2 KiB and identity refuses > 16 KiB; the
 * limit stops a 1 MB message before it is even read, so it costs nothing.
 */
export const SIWE_BODY_LIMIT = 64 * 1024;

export const EmailSchema = Type.String({ format: 'email', maxLength: 254 });
export const EmailCodeSchema = Type.String({ minLength: 1, maxLength: 32, description: 'the 6-digit code' });

export const AcceptedSchema = Type.Object({}, { additionalProperties: false, description: 'Accepted' });
export const NoContentSchema = Type.Null({ description: 'No content' });

/** The caller as identity sees it, for its rate limits and audit trail. */
export function clientOf(request: FastifyRequest): { ip: string; userAgent?: string } {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip.slice(0, 64),
    ...(typeof userAgent === 'string' && userAgent !== '' ? { userAgent: userAgent.slice(0, 512) } : {}),
  };
}

/**
 * Route error handler of the SIWE routes: a body that is too large, not JSON or not the right
 * shape is a malformed SIWE proof, so the client sees API.md's one 400 code, `siwe_malformed`.
 * Everything else goes on to the gateway's problem+json handler unchanged.
 */
export function siweRequestErrors(
  error: FastifyError,
  _request: FastifyRequest,
  _reply: FastifyReply,
): never {
  // Validation, and every error of reading the body: too large, not JSON, wrong media type.
  const clientBodyError =
    error.validation !== undefined ||
    (typeof error.code === 'string' && error.code.startsWith('FST_ERR_CTP_'));
  if (!clientBodyError || error instanceof AppError) throw error;
  const detail =
    error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      ? `the request body is larger than ${SIWE_BODY_LIMIT / 1024} KiB`
      : error.validation
        ? describeValidationError(error)
        : `the body is not a JSON SIWE proof {message, signature}: ${error.message}`;
  throw new AppError('siwe_malformed', 400, detail);
}
