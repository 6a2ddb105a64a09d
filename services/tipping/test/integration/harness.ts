import {
  AppError,
  type Community,
  type CommunityRole,
  type Envelope,
  type EventData,
  entitlementsRpc,
  identityRpc,
  type Member,
  stripeEventReceived,
} from '@coterie/contracts';
import { createApp as createIdentity } from '@coterie/identity';
import { configSchema as identityConfigSchema } from '@coterie/identity/config';
import { createLogger } from '@coterie/logger';
import {
  connectNats,
  createNaming,
  createRpcClient,
  deterministicEventId,
  type Naming,
  type NatsConnection,
  newEvent,
  type RpcClient,
  rpcEndpoint,
  startRpcService,
} from '@coterie/messaging';
import { dropNamespace, serviceEnvFor, testInfra, uniqueNamespace } from '@coterie/testing';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { uuidv7 } from 'uuidv7';
import type { HDAccount } from 'viem';
import { createSiweMessage } from 'viem/siwe';
import { type App, createApp } from '../../src/app.ts';
import { STRIPE_CONSUMER } from '../../src/application/apply-stripe-event.ts';
import { configSchema } from '../../src/config.ts';
import type { ConnectedAccounts } from '../../src/ports.ts';

export interface ChainEntry {
  chainId: number;
  rpcUrl: string;
  confirmations: number;
}

type StripeEventLike = { id: string; type: string; created: number; data: { object: object } };

export interface TippingHarness {
  namespace: string;
  naming: Naming;
  app: App;
  rpc: RpcClient;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  signIn(account: HDAccount): Promise<Member>;
  /** A community in the entitlements responder (see `startEntitlementsResponder`). */
  createCommunity(ownerId: string, treasury?: { chainId: number; address: string }): Community;
  setRole(communityId: string, memberId: string, role: CommunityRole): void;
  /** The envelope the gateway's webhook ingress wraps a verified Stripe event in. */
  stripeEnvelope(event: StripeEventLike): Envelope<EventData<ReturnType<typeof stripeEventReceived>>>;
  /** Publishes a verified Stripe event the way the gateway's webhook ingress does. */
  deliverStripeEvent(event: StripeEventLike, options?: { duplicateOnBroker?: boolean }): Promise<void>;
  /** True once the Stripe consumer's inbox holds the event (it was applied or found a duplicate). */
  stripeEventHandled(stripeEventId: string): Promise<boolean>;
  /** Waits until the Stripe consumer has nothing pending. */
  stripeConsumerIdle(): Promise<boolean>;
  /** `tipping.tip.*` events published so far. */
  published(
    type: 'tipping.tip.received.v1' | 'tipping.tip.reversed.v1',
  ): Promise<Envelope<Record<string, unknown>>[]>;
  close(): Promise<void>;
}

/**
 * Entitlements' RPCs tipping calls (`getCommunityById`, `check`), answered over real NATS in the
 * test namespace from memory: the contract, not entitlements' internals, is what tipping
 * depends on. (Connected accounts come through the `connectedAccounts` override.)
 */
async function startEntitlementsResponder(nc: NatsConnection, naming: Naming) {
  const communities = new Map<string, Community>();
  const roles = new Map<string, CommunityRole>();
  const service = await startRpcService({
    nc,
    naming,
    logger: createLogger({ name: 'entitlements-double', level: 'silent' }),
    name: 'entitlements',
    discoveryName: naming.serviceName('entitlements'),
    version: '0.0.0',
    endpoints: [
      rpcEndpoint(entitlementsRpc.getCommunityById, async (req) => {
        const community = communities.get(req.communityId);
        if (!community) throw new AppError('community_not_found', 404, 'No such community.');
        return { community };
      }),
      rpcEndpoint(entitlementsRpc.check, async (req) => {
        const role = roles.get(`${req.communityId}|${req.memberId}`) ?? null;
        return { allowed: role !== null, tier: null, role };
      }),
    ],
  });
  return { communities, roles, stop: () => service.stop() };
}

export async function startTipping(options: {
  chains: ChainEntry[];
  tipTokens?: unknown[];
  env?: Record<string, string>;
  connectedAccounts?: ConnectedAccounts;
}): Promise<TippingHarness> {
  const namespace = uniqueNamespace('tip');
  const naming = createNaming(namespace);
  const chainsJson = JSON.stringify(options.chains.map((c) => ({ ...c, name: `chain ${c.chainId}` })));
  const env = { ...serviceEnvFor(namespace), CHAINS: chainsJson };
  const silent = (name: string) => createLogger({ name, level: 'silent' });

  const identity = createIdentity(
    identityConfigSchema.parse({
      ...env,
      IDENTITY_TOKEN_SECRET: 'test-secret-that-is-at-least-32-characters',
      APP_ORIGIN: 'http://localhost:3000',
    }),
    { logger: silent('identity'), mailer: { send: async () => {} } },
  );
  const app = createApp(
    configSchema.parse({
      ...env,
      TIP_TOKENS: JSON.stringify(options.tipTokens ?? []),
      TIP_CONFIRMER_INTERVAL_MS: '100',
      TIP_UNMINED_TIMEOUT_MS: '1500',
      ...options.env,
    }),
    {
      logger: silent('tipping'),
      ...(options.connectedAccounts ? { connectedAccounts: options.connectedAccounts } : {}),
    },
  );
  const nc = await connectNats({ url: testInfra().natsUrl, name: 'tipping-test' });
  const entitlements = await startEntitlementsResponder(nc, naming);
  await identity.start();
  await app.start();
  const rpc = createRpcClient(nc, naming, { timeoutMs: 15_000 });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const stripeEnvelope = (event: StripeEventLike) =>
    newEvent(
      stripeEventReceived('tipping'),
      { event: { livemode: false, ...event, data: { object: { ...event.data.object } } } },
      { source: 'gateway', id: deterministicEventId(`stripe:${event.id}`), correlationId: event.id },
    );

  return {
    namespace,
    naming,
    app,
    rpc,
    nc,
    js,
    jsm,
    async signIn(account) {
      const { nonce } = await rpc.call(identityRpc.siweNonce, {});
      const message = createSiweMessage({
        domain: 'localhost:3000',
        address: account.address,
        statement: 'Sign in to Coterie',
        uri: 'http://localhost:3000/',
        version: '1',
        chainId: 31337,
        nonce,
        issuedAt: new Date(),
        expirationTime: new Date(Date.now() + 5 * 60_000),
      });
      const signature = await account.signMessage({ message });
      return (await rpc.call(identityRpc.siweVerify, { message, signature, client: {} })).member;
    },
    createCommunity(ownerId, treasury) {
      const id = uuidv7();
      const now = new Date().toISOString();
      const community: Community = {
        id,
        slug: `c-${id.slice(-12)}`,
        name: 'A community',
        description: '',
        treasury: treasury ?? null,
        tipping: 'anyone',
        createdAt: now,
        updatedAt: now,
      };
      entitlements.communities.set(id, community);
      entitlements.roles.set(`${id}|${ownerId}`, 'owner');
      return community;
    },
    setRole(communityId, memberId, role) {
      entitlements.roles.set(`${communityId}|${memberId}`, role);
    },
    stripeEnvelope,
    async deliverStripeEvent(event, { duplicateOnBroker = true } = {}) {
      const def = stripeEventReceived('tipping');
      const envelope = stripeEnvelope(event);
      // Without a msgID JetStream keeps every copy, as after Stripe redelivers past the
      // broker's duplicate window: only the consumer's inbox stands between them and a double credit.
      await js.publish(
        naming.subject(def.subject),
        JSON.stringify(envelope),
        duplicateOnBroker ? {} : { msgID: envelope.id },
      );
    },
    async stripeEventHandled(stripeEventId) {
      const { rowCount } = await (app.deps as NonNullable<App['deps']>).pool.query(
        'SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2',
        [STRIPE_CONSUMER, deterministicEventId(`stripe:${stripeEventId}`)],
      );
      return rowCount === 1;
    },
    async stripeConsumerIdle() {
      const info = await jsm.consumers.info(naming.stream('tipping'), naming.durable(STRIPE_CONSUMER));
      return info.num_pending === 0 && info.num_ack_pending === 0;
    },
    async published(type) {
      // Ordered consumer over the whole stream, filtered here (multi-filter needs nats-server 2.10).
      const consumer = await js.consumers.get(naming.stream('tipping'));
      const out: Envelope<Record<string, unknown>>[] = [];
      const info = await consumer.info();
      if (info.num_pending === 0) return out;
      const batch = await consumer.fetch({ max_messages: 10_000, expires: 2_000 });
      for await (const msg of batch) {
        if (msg.subject === naming.subject(type)) out.push(msg.json());
        if (msg.info.pending === 0) break;
      }
      return out;
    },
    async close() {
      await app.stop();
      await identity.stop();
      await entitlements.stop();
      await nc.close();
      await dropNamespace(namespace);
    },
  };
}

/** Sum of a tip's ledger transactions' entries per account (all should net as expected). */
export async function ledgerOfTip(app: App, tipId: string) {
  const pool = app.deps?.pool;
  if (!pool) throw new Error('tipping not started');
  const { rows } = await pool.query<{
    kind: string;
    reverses: string | null;
    account: string;
    asset: string;
    amount: string;
  }>(
    `SELECT t.kind, t.reverses, e.account, e.asset, e.amount FROM ledger_transactions t
     JOIN ledger_entries e ON e.transaction_id = t.id WHERE t.tip_id = $1 ORDER BY t.created_at, e.id`,
    [tipId],
  );
  const transactions = new Set(rows.map((r) => `${r.kind}|${r.reverses}`));
  return {
    rows,
    transactionCount: new Set(
      (await pool.query('SELECT id FROM ledger_transactions WHERE tip_id = $1', [tipId])).rows.map(
        (r) => r.id,
      ),
    ).size,
    kinds: [...transactions],
  };
}
