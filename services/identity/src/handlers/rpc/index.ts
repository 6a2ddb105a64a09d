import { identityRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { eraseMember } from '../../application/erase-member.ts';
import { exportMemberData } from '../../application/export-member-data.ts';
import { getMember, getMembers, memberByAddress } from '../../application/get-members.ts';
import { issueSiweNonce } from '../../application/issue-siwe-nonce.ts';
import { startEmailLink, verifyEmailLink } from '../../application/link-email.ts';
import { linkWallet } from '../../application/link-wallet.ts';
import { sendEmailChallenge } from '../../application/send-email-challenge.ts';
import { logout, logoutAll, resolveSession } from '../../application/sessions.ts';
import { signInWithEmailCode, signInWithMagicLink } from '../../application/sign-in-with-email.ts';
import { signInWithEthereum } from '../../application/sign-in-with-ethereum.ts';
import { updateProfile } from '../../application/update-profile.ts';
import { MemberNotFoundError } from '../../domain/identity-errors.ts';
import type { IdentityDeps } from '../../ports.ts';

/** NATS endpoints (`identity.rpc.<action>`) the gateway and other services call; `health` comes from the kit. */
export function rpcEndpoints(deps: IdentityDeps): RpcEndpoint[] {
  return [
    rpcEndpoint(identityRpc.siweNonce, () => issueSiweNonce(deps)),
    rpcEndpoint(identityRpc.siweVerify, (req) => signInWithEthereum(deps, req)),
    rpcEndpoint(identityRpc.emailStart, async (req) => {
      await sendEmailChallenge(deps, {
        email: req.email,
        purpose: 'sign-in',
        memberId: null,
        client: req.client,
      });
      return { accepted: true as const };
    }),
    rpcEndpoint(identityRpc.emailVerify, (req) => signInWithEmailCode(deps, req)),
    rpcEndpoint(identityRpc.emailMagicLink, (req) => signInWithMagicLink(deps, req)),
    rpcEndpoint(identityRpc.resolveSession, async (req) => ({
      session: await resolveSession(deps, req.token),
    })),
    rpcEndpoint(identityRpc.logout, async (req) => ({ revoked: await logout(deps, req.token) })),
    rpcEndpoint(identityRpc.logoutAll, async (req) => ({ revoked: await logoutAll(deps, req.memberId) })),
    rpcEndpoint(identityRpc.getMember, async (req) => ({
      member: await getMember(deps, req.memberId).catch((error) => {
        if (error instanceof MemberNotFoundError) return null;
        throw error;
      }),
    })),
    rpcEndpoint(identityRpc.getMembers, async (req) => ({ members: await getMembers(deps, req.memberIds) })),
    rpcEndpoint(identityRpc.memberByAddress, async (req) => ({
      memberId: await memberByAddress(deps, req.address),
    })),
    rpcEndpoint(identityRpc.updateProfile, async (req) => ({ member: await updateProfile(deps, req) })),
    rpcEndpoint(identityRpc.linkWallet, async (req) => ({ member: await linkWallet(deps, req) })),
    rpcEndpoint(identityRpc.linkEmailStart, async (req) => {
      await startEmailLink(deps, req);
      return { accepted: true as const };
    }),
    rpcEndpoint(identityRpc.linkEmailVerify, async (req) => ({ member: await verifyEmailLink(deps, req) })),
    rpcEndpoint(identityRpc.exportMemberData, (req) => exportMemberData(deps, req.memberId)),
    rpcEndpoint(identityRpc.eraseMember, async (req) => ({ erasure: await eraseMember(deps, req.memberId) })),
  ];
}
