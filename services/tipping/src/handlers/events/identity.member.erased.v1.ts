import { memberErasedV1 } from '@coterie/contracts';
import type { ConsumerSpec } from '@coterie/service-kit';
import { scrubErasedMember } from '../../application/scrub-erased-member.ts';
import type { TippingDeps } from '../../ports.ts';

export const IDENTITY_CONSUMER = 'tipping--identity';

/** Erasures from the IDENTITY stream (durable, inbox-deduplicated; replicas share it). */
export function memberErasedConsumer(deps: TippingDeps): ConsumerSpec {
  return {
    context: 'identity',
    durable: IDENTITY_CONSUMER,
    events: [memberErasedV1],
    handle: (event) => scrubErasedMember(deps, IDENTITY_CONSUMER, memberErasedV1.parse(event)),
  };
}
