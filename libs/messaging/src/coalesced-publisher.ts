import type { JetStreamClient } from '@nats-io/jetstream';

/** The one JetStream call a publisher of single events needs. */
export type JetStreamPublisher = Pick<JetStreamClient, 'publish'>;

/**
 * JetStream publishes asked for during one turn of the event loop, sent together at its end:
 * the NATS client writes what is queued in one microtask as one socket write, so N concurrent
 * webhooks cost one write instead of N (on loopback-heavy hosts a write costs more than the
 * rest of a publish). Each caller still gets its own acknowledgement or error; the delay is one
 * loop turn (`setImmediate`).
 */
export function coalescePublishes(js: JetStreamPublisher): JetStreamPublisher {
  let queued: (() => void)[] = [];
  const sendQueued = () => {
    const sending = queued;
    queued = [];
    for (const send of sending) send();
  };
  return {
    publish: (subject, payload, options) =>
      new Promise((resolve, reject) => {
        if (queued.length === 0) setImmediate(sendQueued);
        queued.push(() => {
          js.publish(subject, payload, options).then(resolve, reject);
        });
      }),
  };
}
