import { loadConfig } from '@coterie/config';
import { serviceEnvFor } from '@coterie/testing';
import { type Config, configSchema } from '../../src/config.ts';
import {
  type RunningServices,
  type ServiceOverrides,
  startServicesWithEnv,
} from '../support/in-process-services.ts';

export { type RunningServices, type ServiceOverrides, silentLogger } from '../support/in-process-services.ts';

/** Secrets the services require and tests may invent. */
const TEST_SECRETS = {
  IDENTITY_TOKEN_SECRET: 'test-only-identity-token-secret-0123456789',
};

/** The environment of `namespace` as a process would see it: strings only. */
function envFor(namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...TEST_SECRETS, ...serviceEnvFor(namespace), ...extra };
}

/** The six real services, in-process, in `namespace` (own schemas, streams and subjects). */
export async function startServices(
  namespace: string,
  overrides: ServiceOverrides = {},
): Promise<RunningServices> {
  return startServicesWithEnv(() => envFor(namespace), overrides);
}

/** The gateway's config for `namespace`, parsed like `main.ts` would from the environment. */
export function gatewayConfig(namespace: string, extra: Record<string, string> = {}): Config {
  return loadConfig(configSchema, envFor(namespace, { PORT: '0', ...extra }));
}
