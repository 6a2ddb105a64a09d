import { type EventData, sessionRevokedV1 } from '@coterie/contracts';
import type { Logger } from '@coterie/logger';
import type { Naming, NatsConnection } from '@coterie/messaging';
import { type EventFeed, followEvents } from './event-feed.ts';

export interface WatchSessionRevocationsOptions {
  nc: NatsConnection;
  naming: Naming;
  logger: Logger;
  onRevoked(revocation: EventData<typeof sessionRevokedV1>): void;
  /** True once the consumer exists (revocations from then on are seen); false when it broke. */
  onLiveChange(live: boolean): void;
  /** Pause before retrying when the stream is missing or the consumer broke. */
  retryMs?: number;
}

/** `identity.session.revoked.v1` on every gateway replica, for the session cache. */
export function watchSessionRevocations(options: WatchSessionRevocationsOptions): EventFeed {
  return followEvents({
    nc: options.nc,
    naming: options.naming,
    logger: options.logger,
    name: 'gateway-session-revocations',
    context: 'identity',
    filterSubject: sessionRevokedV1.subject,
    onEvent: (_subject, payload) => options.onRevoked(sessionRevokedV1.parse(payload).data),
    onLiveChange: options.onLiveChange,
    ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
  });
}
