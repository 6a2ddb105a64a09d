import type { PoolClient } from '@coterie/db';
import { withTransaction } from '@coterie/db';
import {
  type ChallengePurpose,
  type ChallengeRow,
  consumeChallenge,
  lockOpenChallenge,
  recordFailedAttempt,
} from '../adapters/postgres/email-challenges-repository.ts';
import { EmailCodeInvalidError, EmailCodeLockedError } from '../domain/identity-errors.ts';
import { equalDigests, hmac } from '../domain/secrets.ts';
import type { IdentityDeps } from '../ports.ts';

/**
 * Checks `code` against the newest open challenge and, if it matches, consumes it and runs
 * `onRedeemed` in the same transaction. A wrong code counts an attempt (committed even though
 * the request fails); at the limit the challenge is locked for good.
 */
export async function redeemEmailCode<T>(
  deps: IdentityDeps,
  input: { email: string; code: string; purpose: ChallengePurpose; memberId?: string },
  onRedeemed: (client: PoolClient, challenge: ChallengeRow) => Promise<T>,
): Promise<T> {
  const max = deps.config.EMAIL_CODE_MAX_ATTEMPTS;
  type Outcome = { kind: 'invalid' | 'locked' } | { kind: 'ok'; value: T };
  const outcome = await withTransaction(deps.pool, async (client): Promise<Outcome> => {
    const now = deps.clock.now();
    const challenge = await lockOpenChallenge(client, input.email, input.purpose, now, input.memberId);
    if (!challenge) return { kind: 'invalid' };
    if (challenge.attempts >= max) return { kind: 'locked' };
    const expected = hmac(deps.config.IDENTITY_TOKEN_SECRET, 'code', challenge.id, input.code);
    if (!/^\d{6}$/.test(input.code) || !equalDigests(expected, challenge.code_hash)) {
      const attempts = await recordFailedAttempt(client, challenge.id);
      return { kind: attempts >= max ? 'locked' : 'invalid' };
    }
    await consumeChallenge(client, challenge.id, now);
    const value: T = await onRedeemed(client, challenge);
    return { kind: 'ok', value };
  });
  if (outcome.kind === 'ok') return outcome.value;
  throw outcome.kind === 'locked' ? new EmailCodeLockedError() : new EmailCodeInvalidError();
}
