import type { Member } from '@coterie/contracts';
import { linkEmailRow, memberIdByEmail } from '../adapters/postgres/members-repository.ts';
import { EmailTakenError } from '../domain/identity-errors.ts';
import type { IdentityDeps } from '../ports.ts';
import { getMember } from './get-members.ts';
import type { ClientInfo } from './open-session.ts';
import { redeemEmailCode } from './redeem-email-code.ts';
import { sendEmailChallenge } from './send-email-challenge.ts';

/** Step 1 of linking an email: prove ownership with a mailed code. Taken addresses fail at step 2. */
export async function startEmailLink(
  deps: IdentityDeps,
  input: { memberId: string; email: string; client: ClientInfo },
): Promise<void> {
  await getMember(deps, input.memberId);
  await sendEmailChallenge(deps, {
    email: input.email,
    purpose: 'link',
    memberId: input.memberId,
    client: input.client,
  });
}

export async function verifyEmailLink(
  deps: IdentityDeps,
  input: { memberId: string; email: string; code: string },
): Promise<Member> {
  await redeemEmailCode(deps, { ...input, purpose: 'link' }, async (client) => {
    const owner = await memberIdByEmail(client, input.email);
    if (owner && owner !== input.memberId) throw new EmailTakenError();
    if (!owner && (await linkEmailRow(client, input.memberId, input.email)) !== input.memberId) {
      throw new EmailTakenError();
    }
  });
  return getMember(deps, input.memberId);
}
