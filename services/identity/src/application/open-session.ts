import type { Member } from '@coterie/contracts';
import { memberSignedInV1 } from '@coterie/contracts';
import type { PoolClient } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import { findMember } from '../adapters/postgres/members-repository.ts';
import { insertSession } from '../adapters/postgres/sessions-repository.ts';
import { newOpaqueToken, sha256 } from '../domain/secrets.ts';
import type { IdentityDeps } from '../ports.ts';

export interface SignedIn {
  member: Member;
  session: { id: string; token: string; expiresAt: string };
  created: boolean;
}

export interface ClientInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/**
 * A fresh session for `memberId` inside the caller's transaction: a new random token at every
 * sign-in (no fixation), stored as a hash; `signed-in` goes out through the outbox.
 */
export async function openSession(
  deps: IdentityDeps,
  client: PoolClient,
  input: {
    memberId: string;
    method: 'siwe' | 'email' | 'magic-link';
    created: boolean;
    clientInfo: ClientInfo;
  },
): Promise<SignedIn> {
  const now = deps.clock.now();
  const token = newOpaqueToken();
  const id = uuidv7();
  const expiresAt = new Date(now.getTime() + deps.config.SESSION_ABSOLUTE_TTL_MS);
  await insertSession(client, {
    id,
    memberId: input.memberId,
    tokenHash: sha256(token),
    method: input.method,
    expiresAt,
    ip: input.clientInfo.ip,
    userAgent: input.clientInfo.userAgent,
  });
  await appendToOutbox(
    client,
    newEvent(
      memberSignedInV1,
      { memberId: input.memberId, sessionId: id, method: input.method },
      { source: 'identity' },
    ),
  );
  const member = await findMember(client, input.memberId);
  if (!member) throw new Error(`member ${input.memberId} vanished inside its own transaction`);
  return { member, session: { id, token, expiresAt: expiresAt.toISOString() }, created: input.created };
}
