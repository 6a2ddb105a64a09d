import { type Envelope, memberErasedV1 } from '@coterie/contracts';
import { scrubErasedMember } from '../../application/member-data.ts';
import type { Deps } from '../../ports.ts';

/** `identity.member.erased.v1`: the erased member's calendar feed and pending mails go. */
export function onMemberErased(deps: Deps, consumer: string) {
  return (envelope: Envelope): Promise<void> =>
    scrubErasedMember(deps, consumer, memberErasedV1.parse(envelope));
}
