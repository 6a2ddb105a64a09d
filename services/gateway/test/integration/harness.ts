import { loadConfig } from '@coterie/config';
import type { Context } from '@coterie/contracts';
import { serviceEnvFor, testInfra } from '@coterie/testing';
import { type Config, configSchema } from '../../src/config.ts';
import {
  type RunningServices,
  type ServiceOverrides,
  startServicesWithEnv,
} from '../support/in-process-services.ts';

export {
  capturingLogger,
  type Logger,
  type RunningServices,
  type ServiceOverrides,
  silentLogger,
} from '../support/in-process-services.ts';

/** Secrets the services require and tests may invent. */
const TEST_SECRETS = {
  IDENTITY_TOKEN_SECRET: 'test-only-identity-token-secret-0123456789',
};

/** The environment of `namespace` as a process would see it: strings only. */
function envFor(namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...TEST_SECRETS, ...serviceEnvFor(namespace), ...extra };
}

/**
 * Tokens tips may be paid in: each configured chain's native currency and, when the run deployed
 * it, the demo CommunityToken (CTR). Without an entry tipping rejects every transfer.
 */
function tipTokensJson(): string {
  const infra = testInfra();
  const chains = JSON.parse(infra.chainsJson) as { chainId: number }[];
  const tokens: object[] = chains.map(({ chainId }) => ({
    chainId,
    token: 'native',
    symbol: 'ETH',
    decimals: 18,
  }));
  if (infra.demo) {
    tokens.push({ chainId: 31337, token: infra.demo.contracts.CommunityToken, symbol: 'CTR', decimals: 18 });
  }
  return JSON.stringify(tokens);
}

/** What a service needs in every test deployment beyond `envFor` (the overrides' env still wins). */
const serviceDefaults: Partial<Record<Context, () => Record<string, string>>> = {
  // The confirmer polls fast, so a test sees pending → confirmed without waiting seconds.
  tipping: () => ({ TIP_TOKENS: tipTokensJson(), TIP_CONFIRMER_INTERVAL_MS: '200' }),
};

/** The six real services, in-process, in `namespace` (own schemas, streams and subjects). */
export async function startServices(
  namespace: string,
  overrides: ServiceOverrides = {},
): Promise<RunningServices> {
  return startServicesWithEnv((context) => envFor(namespace, serviceDefaults[context]?.()), overrides);
}

/** The gateway's config for `namespace`, parsed like `main.ts` would from the environment. */
export function gatewayConfig(namespace: string, extra: Record<string, string> = {}): Config {
  return loadConfig(configSchema, envFor(namespace, { PORT: '0', ...extra }));
}
