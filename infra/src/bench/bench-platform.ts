import { loadConfig } from '@coterie/config';
import { createApp as createGateway, type App as GatewayApp } from '@coterie/gateway';
import { configSchema as gatewayConfigSchema } from '@coterie/gateway/config';
import { createApp as createIdentity } from '@coterie/identity';
import { configSchema as identityConfigSchema } from '@coterie/identity/config';
import { createLogger } from '@coterie/logger';
import { startServicesWithEnv } from '../../../services/gateway/test/support/in-process-services.ts';

export interface BenchInfraUrls {
  databaseUrl: string;
  natsUrl: string;
  chainsJson: string;
  namespace: string;
}

const silent = createLogger({ name: 'bench', level: 'silent' });

function env(infra: BenchInfraUrls, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: infra.databaseUrl,
    NATS_URL: infra.natsUrl,
    CHAINS: infra.chainsJson,
    COTERIE_NAMESPACE: infra.namespace,
    LOG_LEVEL: 'silent',
    IDENTITY_TOKEN_SECRET: 'bench-only-identity-token-secret-0123456789',
    ...extra,
  };
}

export interface BenchPlatform {
  gateway: GatewayApp;
  url: string;
  stop(): Promise<void>;
}

/** identity and a listening gateway, in-process, in their own namespace (what the SIWE bench needs). */
export async function startIdentityPlatform(infra: BenchInfraUrls): Promise<BenchPlatform> {
  const identity = createIdentity(loadConfig(identityConfigSchema, env(infra)), { logger: silent });
  await identity.start();
  const gateway = createGateway(
    loadConfig(
      gatewayConfigSchema,
      env(infra, {
        PORT: '0',
        // The bench signs in thousands of times from one IP: the per-IP limit is not what it measures.
        AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      }),
    ),
    { logger: silent },
  );
  const { url } = await gateway.start();
  return {
    gateway,
    url,
    stop: async () => {
      await gateway.stop();
      await identity.stop();
    },
  };
}

/** All six services and a listening gateway, in-process, in their own namespace. */
export async function startFullPlatform(
  infra: BenchInfraUrls,
  extra: Record<string, string> = {},
): Promise<BenchPlatform> {
  const services = await startServicesWithEnv(() => env(infra, extra));
  const gateway = createGateway(
    loadConfig(
      gatewayConfigSchema,
      env(infra, { PORT: '0', AUTH_RATE_LIMIT_PER_MINUTE: '1000000', ...extra }),
    ),
    { logger: silent },
  );
  const { url } = await gateway.start();
  return {
    gateway,
    url,
    stop: async () => {
      await gateway.stop();
      await services.stopAll();
    },
  };
}
