import {
  communityCreatedV1,
  type EventDefinition,
  membershipChangedV1,
  membershipGrantedV1,
  membershipRevokedV1,
  roleChangedV1,
} from '@coterie/contracts';
import type { Logger } from '@coterie/logger';
import type { Naming } from '@coterie/messaging';
import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import type { AccessView } from '../../domain/access-view.ts';

const definitions: EventDefinition[] = [
  communityCreatedV1,
  membershipGrantedV1,
  membershipChangedV1,
  membershipRevokedV1,
  roleChangedV1,
];

/**
 * Keeps this replica's `AccessView` current with what every replica writes, by reading our own
 * ENTITLEMENTS stream through an *ordered* consumer: ephemeral, per instance, no acks, and
 * recreated by the client at the right sequence after a reconnect. A durable per instance would
 * also work but leaves server-side state behind every replica that ever ran. Start it before
 * loading the snapshot: versions make the overlap harmless, and nothing falls in a gap.
 */
export async function startAccessViewSync(options: {
  js: JetStreamClient;
  naming: Naming;
  view: AccessView;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const { js, naming, view, logger } = options;
  const bySubject = new Map(definitions.map((d) => [d.subject, d]));
  const consumer = await js.consumers.get(naming.stream('entitlements'), {
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  const running = (async () => {
    for await (const msg of messages) {
      const def = bySubject.get(naming.logicalSubject(msg.subject));
      if (!def) continue;
      try {
        apply(view, def, def.parse(msg.json()).data);
      } catch (error) {
        logger.warn({ err: error, subject: msg.subject }, 'skipped an unreadable event in the access view');
      }
    }
  })();
  return {
    stop: async () => {
      messages.stop();
      await running.catch(() => {});
    },
  };
}

function apply(view: AccessView, def: EventDefinition, data: unknown): void {
  if (def === communityCreatedV1) {
    view.addCommunity(communityCreatedV1.data.parse(data).communityId);
  } else if (def === membershipGrantedV1 || def === membershipChangedV1) {
    const d = membershipGrantedV1.data.parse(data);
    view.applyMembership(d.communityId, d.memberId, d.tier, d.version);
  } else if (def === membershipRevokedV1) {
    const d = membershipRevokedV1.data.parse(data);
    view.applyMembership(d.communityId, d.memberId, null, d.version);
  } else if (def === roleChangedV1) {
    const d = roleChangedV1.data.parse(data);
    view.applyRole(d.communityId, d.memberId, d.role, d.version);
  }
}
