import { identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { MemberEmails } from '../../ports.ts';

/** Identity's `getMembers`: a member's first (primary) email. */
export function createMemberEmails(rpc: RpcClient): MemberEmails {
  return {
    async emailsOf(memberIds) {
      const out = new Map<string, string>();
      if (memberIds.length === 0) return out;
      const { members } = await rpc.call(identityRpc.getMembers, { memberIds: [...memberIds] });
      for (const m of members) if (m.emails[0]) out.set(m.id, m.emails[0]);
      return out;
    },
  };
}
