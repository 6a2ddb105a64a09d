import { connect, type NatsConnection } from '@nats-io/transport-node';

export type { NatsConnection } from '@nats-io/transport-node';

export interface ConnectNatsOptions {
  /** `nats://host:port`, comma-separated for a cluster. */
  url: string;
  name: string;
}

/** Reconnects forever: a NATS restart is a pause, not an outage of the process. */
export function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  return connect({
    servers: options.url.split(',').map((s) => s.trim()),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    timeout: 5_000,
  });
}
