import { randomUUID } from 'node:crypto';
import type { Envelope } from '@coterie/contracts';
import { eventsRpc, type RpcRequest, type RpcResponse } from '@coterie/contracts';
import { createLogger } from '@coterie/logger';
import {
  connectNats,
  createNaming,
  createRpcClient,
  type Naming,
  type NatsConnection,
  type RpcClient,
} from '@coterie/messaging';
import {
  dropNamespace,
  type SmtpInbox,
  serviceEnvFor,
  startSmtpInbox,
  testInfra,
  uniqueNamespace,
} from '@coterie/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { type StripeDouble, startStripeDouble } from '../../../../tests/support/stripe-double.ts';
import { type App, createApp } from '../../src/app.ts';
import { type Config, configSchema } from '../../src/config.ts';
import { type Collaborators, startCollaborators } from '../factories/collaborators.ts';

export interface EventsHarness {
  namespace: string;
  naming: Naming;
  config: Config;
  app: App;
  rpc: RpcClient;
  nc: NatsConnection;
  inbox: SmtpInbox;
  peers: Collaborators;
  stripe: StripeDouble | undefined;
  /** Connected Stripe accounts by community id. */
  accounts: Map<string, string>;
  clock: { offsetMs: number; now(): Date };
  /** Stops the service and starts a fresh instance on the same schema and streams. */
  restart(): Promise<void>;
  /** A community with an owner (a host) and `members` members at tier rank 1. */
  community(members?: number): { communityId: string; ownerId: string; memberIds: string[] };
  createEvent(
    actorId: string,
    communityId: string,
    overrides?: Partial<RpcRequest<typeof eventsRpc.createEvent>>,
  ): Promise<RpcResponse<typeof eventsRpc.createEvent>>;
  /** Every event in the namespace's EVENTS stream of `subject` (logical), oldest first. */
  published(subject: string): Promise<Envelope[]>;
  close(): Promise<void>;
}

export async function startEvents(
  options: { stripe?: boolean; env?: Record<string, string> } = {},
): Promise<EventsHarness> {
  const namespace = uniqueNamespace('ev');
  const naming = createNaming(namespace);
  const inbox = await startSmtpInbox();
  const stripe = options.stripe ? await startStripeDouble() : undefined;
  const config = configSchema.parse({
    ...serviceEnvFor(namespace),
    SMTP_URL: inbox.url,
    PLATFORM_FEE_BPS: '1000',
    ...(stripe
      ? {
          STRIPE_SECRET_KEY: stripe.secretKey,
          STRIPE_API_BASE_URL: `http://${stripe.sdkOptions.host}:${stripe.sdkOptions.port}`,
        }
      : {}),
    ...options.env,
  });
  const nc = await connectNats({ url: testInfra().natsUrl, name: `${namespace}-test` });
  const peers = startCollaborators(nc, naming);
  const accounts = new Map<string, string>();
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const make = () =>
    createApp(config, {
      logger: createLogger({ name: 'events', level: 'silent' }),
      clock,
      maintenanceLoop: false,
      accounts: { accountFor: async (communityId) => accounts.get(communityId) ?? null },
    });
  const h: EventsHarness = {
    namespace,
    naming,
    config,
    app: make(),
    rpc: createRpcClient(nc, naming, { timeoutMs: 20_000 }),
    nc,
    inbox,
    peers,
    stripe,
    accounts,
    clock,
    async restart() {
      await h.app.stop();
      h.app = make();
      await h.app.start();
    },
    community(members = 0) {
      const communityId = randomUUID();
      const ownerId = randomUUID();
      peers.grant(communityId, ownerId, { role: 'owner', tierRank: null });
      peers.emails.set(ownerId, `owner-${ownerId.slice(0, 8)}@example.org`);
      const memberIds = Array.from({ length: members }, () => {
        const id = randomUUID();
        peers.grant(communityId, id, { tierRank: 1, role: 'member' });
        peers.emails.set(id, `m-${id.slice(0, 8)}@example.org`);
        return id;
      });
      return { communityId, ownerId, memberIds };
    },
    async createEvent(actorId, communityId, overrides = {}) {
      const startsAt = new Date(clock.now().getTime() + 3 * 24 * 3_600_000);
      return h.rpc.call(eventsRpc.createEvent, {
        actorId,
        communityId,
        title: 'Co-working session',
        description: 'Bring a laptop.',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
        timezone: 'Europe/Berlin',
        location: { kind: 'online', url: 'https://meet.example.org/secret-room' },
        ...overrides,
      });
    },
    async published(subject) {
      const jsm = await jetstreamManager(nc);
      const stream = naming.stream('events');
      const info = await jsm.streams.info(stream);
      const out: Envelope[] = [];
      for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
        const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
        if (msg && msg.subject === naming.subject(subject)) out.push(msg.json<Envelope>());
      }
      return out;
    },
    async close() {
      await h.app.stop();
      await peers.stop();
      await nc.close();
      await inbox.close();
      await stripe?.close();
      await dropNamespace(namespace);
    },
  };
  await h.app.start();
  return h;
}
