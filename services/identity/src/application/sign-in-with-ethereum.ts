import { memberRegisteredV1, walletLinkedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import { insertMember, linkWalletRow, memberIdByWallet } from '../adapters/postgres/members-repository.ts';
import { consumeNonce } from '../adapters/postgres/nonces-repository.ts';
import { SiweError } from '../domain/siwe/index.ts';
import type { IdentityDeps } from '../ports.ts';
import { type ClientInfo, openSession, type SignedIn } from './open-session.ts';
import { verifySiweProof } from './verify-siwe-proof.ts';

/** Sign-In with Ethereum: the wallet's member (created on first sign-in) gets a new session. */
export async function signInWithEthereum(
  deps: IdentityDeps,
  input: { message: string; signature: string; client: ClientInfo },
): Promise<SignedIn> {
  const message = await verifySiweProof(deps, input);
  const result = await withTransaction(deps.pool, async (client) => {
    if (!(await consumeNonce(client, message.nonce, deps.clock.now()))) {
      throw new SiweError('siwe_nonce_invalid', 401, 'The nonce was already used.');
    }
    let memberId = await memberIdByWallet(client, message.address);
    let created = false;
    if (!memberId) {
      memberId = uuidv7();
      await insertMember(client, memberId);
      const owner = await linkWalletRow(client, memberId, message.address);
      if (owner !== memberId) {
        // Another sign-in with the same wallet won the race: use its member, drop ours.
        throw new RetrySignIn();
      }
      created = true;
      const meta = { source: 'identity' };
      await appendToOutbox(
        client,
        newEvent(memberRegisteredV1, { memberId, method: 'siwe', address: message.address }, meta),
      );
      await appendToOutbox(client, newEvent(walletLinkedV1, { memberId, address: message.address }, meta));
    }
    return openSession(deps, client, { memberId, method: 'siwe', created, clientInfo: input.client });
  }).catch(async (error) => {
    if (!(error instanceof RetrySignIn)) throw error;
    return withTransaction(deps.pool, async (client) => {
      if (!(await consumeNonce(client, message.nonce, deps.clock.now()))) {
        throw new SiweError('siwe_nonce_invalid', 401, 'The nonce was already used.');
      }
      const memberId = (await memberIdByWallet(client, message.address)) as string;
      return openSession(deps, client, {
        memberId,
        method: 'siwe',
        created: false,
        clientInfo: input.client,
      });
    });
  });
  deps.relay.wake();
  return result;
}

class RetrySignIn extends Error {}
