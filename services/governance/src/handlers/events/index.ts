import { membershipChangedV1, membershipGrantedV1, membershipRevokedV1 } from '@coterie/contracts';
import type { ConsumerSpec } from '@coterie/service-kit';
import type { GovernanceDeps } from '../../ports.ts';
import { onMembershipChanged } from './entitlements.membership.changed.v1.ts';
import { onMembershipGranted } from './entitlements.membership.granted.v1.ts';
import { onMembershipRevoked } from './entitlements.membership.revoked.v1.ts';

export const ENTITLEMENTS_CONSUMER = 'governance--entitlements';

/** Durable consumers of other contexts' streams (shared by the replicas: each event handled once). */
export function eventConsumers(deps: GovernanceDeps): ConsumerSpec[] {
  const handlers = new Map([
    [membershipGrantedV1.subject, onMembershipGranted(deps, ENTITLEMENTS_CONSUMER)],
    [membershipChangedV1.subject, onMembershipChanged(deps, ENTITLEMENTS_CONSUMER)],
    [membershipRevokedV1.subject, onMembershipRevoked(deps, ENTITLEMENTS_CONSUMER)],
  ]);
  return [
    {
      context: 'entitlements',
      durable: ENTITLEMENTS_CONSUMER,
      events: [membershipGrantedV1, membershipChangedV1, membershipRevokedV1],
      handle: async (event, def) => {
        await handlers.get(def.subject)?.(event);
      },
    },
  ];
}
