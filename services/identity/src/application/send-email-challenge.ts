import { withTransaction } from '@coterie/db';
import { uuidv7 } from 'uuidv7';
import {
  type ChallengePurpose,
  countRecentChallenges,
  insertChallenge,
} from '../adapters/postgres/email-challenges-repository.ts';
import { RateLimitedError } from '../domain/identity-errors.ts';
import { hmac, newEmailCode, newOpaqueToken } from '../domain/secrets.ts';
import type { IdentityDeps } from '../ports.ts';
import type { ClientInfo } from './open-session.ts';

const HOUR = 3_600_000;

/**
 * Mails a 6-digit code (and, for sign-in, a magic link). Only HMACs are stored. Limits per
 * address and per client IP stop mail bombing and code farming; the answer never says whether
 * the address belongs to a member.
 */
export async function sendEmailChallenge(
  deps: IdentityDeps,
  input: { email: string; purpose: ChallengePurpose; memberId: string | null; client: ClientInfo },
): Promise<void> {
  const { config } = deps;
  const now = deps.clock.now();
  const code = newEmailCode();
  const linkToken = input.purpose === 'sign-in' ? newOpaqueToken() : null;
  const id = uuidv7();
  await withTransaction(deps.pool, async (client) => {
    // Serialise starts for one address so concurrent requests cannot slip past the limit.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`email-challenge:${input.email}`]);
    const since = new Date(now.getTime() - HOUR);
    if (
      (await countRecentChallenges(client, { email: input.email }, since)) >=
      config.EMAIL_START_PER_EMAIL_PER_HOUR
    ) {
      throw new RateLimitedError('codes for this address', 3600);
    }
    if (
      input.client.ip &&
      (await countRecentChallenges(client, { ip: input.client.ip }, since)) >=
        config.EMAIL_START_PER_IP_PER_HOUR
    ) {
      throw new RateLimitedError('codes from this address', 3600);
    }
    await insertChallenge(client, {
      id,
      email: input.email,
      purpose: input.purpose,
      memberId: input.memberId,
      codeHash: hmac(config.IDENTITY_TOKEN_SECRET, 'code', id, code),
      linkTokenHash: linkToken ? hmac(config.IDENTITY_TOKEN_SECRET, 'link', linkToken) : null,
      expiresAt: new Date(now.getTime() + config.EMAIL_CODE_TTL_MS),
      ip: input.client.ip ?? null,
    });
  });
  const minutes = Math.round(config.EMAIL_CODE_TTL_MS / 60_000);
  const lines =
    input.purpose === 'sign-in'
      ? [
          `Your Coterie sign-in code is ${code}.`,
          '',
          `Or open this link to sign in: ${new URL(`/v1/auth/email/callback?token=${linkToken}`, config.APP_ORIGIN)}`,
        ]
      : [`Your Coterie confirmation code is ${code}. Enter it to add this email to your account.`];
  await deps.mailer.send({
    to: input.email,
    subject:
      input.purpose === 'sign-in' ? `Your Coterie sign-in code: ${code}` : 'Confirm your email for Coterie',
    text: [
      ...lines,
      '',
      `It expires in ${minutes} minutes and works once. If you did not ask for it, ignore this mail.`,
    ].join('\n'),
  });
}
