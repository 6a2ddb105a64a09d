import type { Member } from '@coterie/contracts';
import { walletLinkedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { linkWalletRow, memberIdByWallet } from '../adapters/postgres/members-repository.ts';
import { consumeNonce } from '../adapters/postgres/nonces-repository.ts';
import { MemberNotFoundError, WalletTakenError } from '../domain/identity-errors.ts';
import { SiweError } from '../domain/siwe/index.ts';
import type { IdentityDeps } from '../ports.ts';
import { getMember } from './get-members.ts';
import { verifySiweProof } from './verify-siwe-proof.ts';

/** Links another wallet to a signed-in member with a fresh SIWE proof; a wallet has one owner. */
export async function linkWallet(
  deps: IdentityDeps,
  input: { memberId: string; message: string; signature: string },
): Promise<Member> {
  await getMember(deps, input.memberId);
  const message = await verifySiweProof(deps, input);
  await withTransaction(deps.pool, async (client) => {
    const owner = await memberIdByWallet(client, message.address);
    if (owner && owner !== input.memberId) throw new WalletTakenError();
    if (!(await consumeNonce(client, message.nonce, deps.clock.now()))) {
      throw new SiweError('siwe_nonce_invalid', 401, 'The nonce was already used.');
    }
    if (owner === input.memberId) return;
    const linkedTo = await linkWalletRow(client, input.memberId, message.address).catch(
      (error: { code?: string }) => {
        if (error.code === '23503') throw new MemberNotFoundError();
        throw error;
      },
    );
    if (linkedTo !== input.memberId) throw new WalletTakenError();
    await appendToOutbox(
      client,
      newEvent(
        walletLinkedV1,
        { memberId: input.memberId, address: message.address },
        { source: 'identity' },
      ),
    );
  });
  deps.relay.wake();
  return getMember(deps, input.memberId);
}
