import { ERASED_MEMBER_NAME, memberErasedV1, sessionRevokedV1, walletUnlinkedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { eraseMemberRows, lockMemberForErasure } from '../adapters/postgres/member-data-repository.ts';
import { MemberNotFoundError } from '../domain/identity-errors.ts';
import type { IdentityDeps } from '../ports.ts';

export interface Erasure {
  memberId: string;
  requestedAt: string;
  alreadyErased: boolean;
}

/**
 * `DELETE /v1/me/data`: pseudonymises the member and, in the same transaction, puts in the outbox
 * `identity.wallet.unlinked.v1` per wallet (entitlements re-checks holdings),
 * `identity.session.revoked.v1` (gateways drop cached sessions) and `identity.member.erased.v1`
 * (the other contexts scrub what they hold). A repeat answers the first erasure, publishing nothing.
 */
export async function eraseMember(deps: IdentityDeps, memberId: string): Promise<Erasure> {
  const erasure = await withTransaction(deps.pool, async (client): Promise<Erasure> => {
    const member = await lockMemberForErasure(client, memberId);
    if (!member) throw new MemberNotFoundError();
    if (member.erasedAt) {
      return { memberId, requestedAt: member.erasedAt.toISOString(), alreadyErased: true };
    }
    const now = deps.clock.now();
    const erased = await eraseMemberRows(client, memberId, now, ERASED_MEMBER_NAME);
    const meta = { source: 'identity', occurredAt: now };
    const root = newEvent(memberErasedV1, { memberId, requestedAt: now.toISOString() }, meta);
    const caused = { ...meta, correlationId: root.id, causationId: root.id };
    for (const address of erased.wallets) {
      await appendToOutbox(client, newEvent(walletUnlinkedV1, { memberId, address }, caused));
    }
    await appendToOutbox(
      client,
      newEvent(sessionRevokedV1, { memberId, sessionIds: erased.revokedSessionIds, all: true }, caused),
    );
    await appendToOutbox(client, root);
    deps.logger.info(
      { memberId, wallets: erased.wallets.length, sessions: erased.revokedSessionIds.length },
      'member erased',
    );
    return { memberId, requestedAt: now.toISOString(), alreadyErased: false };
  });
  deps.relay.wake();
  return erasure;
}
