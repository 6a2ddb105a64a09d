import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'libs/*/src/**/*.test.ts',
      'libs/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'contracts-abi/test/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    // PostgreSQL, NATS and the dev chain are started (or taken from the env) once per run.
    globalSetup: ['tests/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only queue on the same servers.
    maxWorkers: 3,
  },
});
