import {
  analyticsRpc,
  CONTEXTS,
  entitlementsRpc,
  eventsRpc,
  governanceRpc,
  healthRpc,
  identityRpc,
  type RpcDefinition,
  tippingRpc,
} from '@coterie/contracts';
import { connectNats, type NatsConnection } from '@coterie/messaging';
import { testInfra } from '@coterie/testing';

/** A plain NATS connection to the test server, as a hostile or careless publisher would have. */
export function connectTestNats(name = 'reliability-test'): Promise<NatsConnection> {
  return connectNats({ url: testInfra().natsUrl, name });
}

/** Every RPC the services answer (each context's endpoints and its `health`), by logical subject. */
export function allRpcDefinitions(): RpcDefinition[] {
  const groups = [identityRpc, entitlementsRpc, tippingRpc, eventsRpc, governanceRpc, analyticsRpc];
  const defs = groups.flatMap((g) => Object.values(g) as RpcDefinition[]);
  return [...defs, ...CONTEXTS.map((c) => healthRpc(c))];
}

export interface JsConsumerInfo {
  stream_name: string;
  name: string;
  config: { filter_subject?: string; durable_name?: string };
  delivered: { consumer_seq: number; stream_seq: number };
  ack_floor: { consumer_seq: number; stream_seq: number };
  num_ack_pending: number;
  num_redelivered: number;
  num_pending: number;
}

/** A JetStream API call over core NATS (`$JS.API.<api>`), so tests need no JetStream client. */
export async function jsApi<T>(nc: NatsConnection, api: string, body: unknown = {}): Promise<T> {
  const reply = await nc.request(`$JS.API.${api}`, JSON.stringify(body), { timeout: 5_000 });
  const parsed = JSON.parse(new TextDecoder().decode(reply.data)) as T & { error?: { description: string } };
  if (parsed.error) throw new Error(`$JS.API.${api}: ${parsed.error.description}`);
  return parsed;
}

/** The durable consumers on the streams of `namespace`. */
export async function namespaceConsumers(nc: NatsConnection, namespace: string): Promise<JsConsumerInfo[]> {
  const { streams } = await jsApi<{ streams: string[] | null }>(nc, 'STREAM.NAMES');
  const mine = (streams ?? []).filter((s) => s.startsWith(`${namespace}_`));
  const lists = await Promise.all(
    mine.map((s) => jsApi<{ consumers: JsConsumerInfo[] | null }>(nc, `CONSUMER.LIST.${s}`)),
  );
  return lists.flatMap((l) => l.consumers ?? []).filter((c) => c.config.durable_name);
}

/** Publishes `payload` into JetStream on `subject` (core request, so the stream's ack is awaited). */
export async function publishToStream(
  nc: NatsConnection,
  subject: string,
  payload: string | Uint8Array,
): Promise<{ stream: string; seq: number }> {
  const reply = await nc.request(subject, payload, { timeout: 5_000 });
  const ack = JSON.parse(new TextDecoder().decode(reply.data)) as {
    stream: string;
    seq: number;
    error?: { description: string };
  };
  if (ack.error) throw new Error(`publish ${subject}: ${ack.error.description}`);
  return ack;
}
