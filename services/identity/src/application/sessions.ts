import { sessionRevokedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import {
  findLiveSession,
  revokeAllSessions,
  revokeSessionByToken,
  touchSession,
} from '../adapters/postgres/sessions-repository.ts';
import { sha256 } from '../domain/secrets.ts';
import type { IdentityDeps } from '../ports.ts';

/** Writing last-seen on every request would turn reads into writes; once a minute is enough for idle expiry. */
const TOUCH_EVERY_MS = 60_000;

export async function resolveSession(
  deps: IdentityDeps,
  token: string,
): Promise<{ id: string; memberId: string; expiresAt: string } | null> {
  const now = deps.clock.now();
  const session = await findLiveSession(deps.pool, sha256(token), now, deps.config.SESSION_IDLE_TTL_MS);
  if (!session) return null;
  if (now.getTime() - session.last_seen_at.getTime() > TOUCH_EVERY_MS)
    await touchSession(deps.pool, session.id, now);
  return { id: session.id, memberId: session.member_id, expiresAt: session.expires_at.toISOString() };
}

/** Revokes one session; gateways drop it from their caches on `identity.session.revoked.v1`. */
export async function logout(deps: IdentityDeps, token: string): Promise<number> {
  const revoked = await withTransaction(deps.pool, async (client) => {
    const session = await revokeSessionByToken(client, sha256(token));
    if (!session) return 0;
    await appendToOutbox(
      client,
      newEvent(
        sessionRevokedV1,
        { memberId: session.member_id, sessionIds: [session.id], all: false },
        { source: 'identity' },
      ),
    );
    return 1;
  });
  deps.relay.wake();
  return revoked;
}

export async function logoutAll(deps: IdentityDeps, memberId: string): Promise<number> {
  const revoked = await withTransaction(deps.pool, async (client) => {
    const ids = await revokeAllSessions(client, memberId);
    await appendToOutbox(
      client,
      newEvent(sessionRevokedV1, { memberId, sessionIds: ids, all: true }, { source: 'identity' }),
    );
    return ids.length;
  });
  deps.relay.wake();
  return revoked;
}
