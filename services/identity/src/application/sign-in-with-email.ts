import { memberRegisteredV1 } from '@coterie/contracts';
import type { PoolClient } from '@coterie/db';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import {
  consumeChallenge,
  lockChallengeByLinkToken,
} from '../adapters/postgres/email-challenges-repository.ts';
import { insertMember, linkEmailRow, memberIdByEmail } from '../adapters/postgres/members-repository.ts';
import { EmailCodeInvalidError } from '../domain/identity-errors.ts';
import { hmac } from '../domain/secrets.ts';
import type { IdentityDeps } from '../ports.ts';
import { type ClientInfo, openSession, type SignedIn } from './open-session.ts';
import { redeemEmailCode } from './redeem-email-code.ts';

/** The 6-digit code path: the email's member (created on first sign-in) gets a new session. */
export async function signInWithEmailCode(
  deps: IdentityDeps,
  input: { email: string; code: string; client: ClientInfo },
): Promise<SignedIn> {
  const result = await redeemEmailCode(deps, { ...input, purpose: 'sign-in' }, (client) =>
    sessionForEmail(deps, client, input.email, 'email', input.client),
  );
  deps.relay.wake();
  return result;
}

/** The magic-link path: same outcome as the code, proven by the link token instead. */
export async function signInWithMagicLink(
  deps: IdentityDeps,
  input: { token: string; client: ClientInfo },
): Promise<SignedIn> {
  const result = await withTransaction(deps.pool, async (client) => {
    const now = deps.clock.now();
    const challenge = await lockChallengeByLinkToken(
      client,
      hmac(deps.config.IDENTITY_TOKEN_SECRET, 'link', input.token),
      now,
    );
    if (!challenge || challenge.attempts >= deps.config.EMAIL_CODE_MAX_ATTEMPTS)
      throw new EmailCodeInvalidError();
    await consumeChallenge(client, challenge.id, now);
    return sessionForEmail(deps, client, challenge.email, 'magic-link', input.client);
  });
  deps.relay.wake();
  return result;
}

async function sessionForEmail(
  deps: IdentityDeps,
  client: PoolClient,
  email: string,
  method: 'email' | 'magic-link',
  clientInfo: ClientInfo,
): Promise<SignedIn> {
  // Two first sign-ins for one address must not create two members.
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`email-member:${email}`]);
  let memberId = await memberIdByEmail(client, email);
  const created = !memberId;
  if (!memberId) {
    memberId = uuidv7();
    await insertMember(client, memberId);
    await linkEmailRow(client, memberId, email);
    await appendToOutbox(
      client,
      newEvent(memberRegisteredV1, { memberId, method: 'email' }, { source: 'identity' }),
    );
  }
  return openSession(deps, client, { memberId, method, created, clientInfo });
}
