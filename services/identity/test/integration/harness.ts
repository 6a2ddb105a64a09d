import { identityRpc, type Member } from '@coterie/contracts';
import { devAccount } from '@coterie/contracts-abi/dev-chain';
import { createLogger } from '@coterie/logger';
import {
  connectNats,
  createNaming,
  createRpcClient,
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
import type { HDAccount } from 'viem';
import { createSiweMessage } from 'viem/siwe';
import { type App, createApp } from '../../src/app.ts';
import { type Config, configSchema } from '../../src/config.ts';
import type { Clock } from '../../src/ports.ts';

export const APP_ORIGIN = 'http://localhost:3000';
export const APP_DOMAIN = 'localhost:3000';

export interface IdentityHarness {
  namespace: string;
  config: Config;
  rpc: RpcClient;
  nc: NatsConnection;
  inbox: SmtpInbox;
  clock: { offsetMs: number } & Clock;
  siweMessage(
    account: { address: `0x${string}` },
    nonce: string,
    overrides?: Partial<Parameters<typeof createSiweMessage>[0]>,
  ): string;
  signIn(account: HDAccount): Promise<{ member: Member; token: string }>;
  close(): Promise<void>;
}

/** The identity service in its own namespace, a real SMTP inbox, and an RPC client. */
export async function startIdentity(env: Record<string, string> = {}): Promise<IdentityHarness> {
  const namespace = uniqueNamespace('id');
  const inbox = await startSmtpInbox();
  const config = configSchema.parse({
    ...serviceEnvFor(namespace),
    IDENTITY_TOKEN_SECRET: 'test-secret-that-is-at-least-32-characters',
    SMTP_URL: inbox.url,
    APP_ORIGIN,
    ...env,
  });
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const app: App = createApp(config, { logger: createLogger({ name: 'identity', level: 'silent' }), clock });
  await app.start();
  const nc = await connectNats({ url: testInfra().natsUrl, name: 'identity-test' });
  const rpc = createRpcClient(nc, createNaming(namespace), { timeoutMs: 10_000 });
  const siweMessage: IdentityHarness['siweMessage'] = (account, nonce, overrides = {}) =>
    createSiweMessage({
      domain: APP_DOMAIN,
      address: account.address,
      statement: 'Sign in to Coterie',
      uri: `${APP_ORIGIN}/`,
      version: '1',
      chainId: 31337,
      nonce,
      issuedAt: new Date(),
      expirationTime: new Date(Date.now() + 5 * 60_000),
      ...overrides,
    });
  return {
    namespace,
    config,
    rpc,
    nc,
    inbox,
    clock,
    siweMessage,
    async signIn(account) {
      const { nonce } = await rpc.call(identityRpc.siweNonce, {});
      const message = siweMessage(account, nonce);
      const signature = await account.signMessage({ message });
      const result = await rpc.call(identityRpc.siweVerify, { message, signature, client: {} });
      return { member: result.member, token: result.session.token };
    },
    async close() {
      await nc.close();
      await app.stop();
      await inbox.close();
      await dropNamespace(namespace);
    },
  };
}

export const account = (i: number) => devAccount(i);
