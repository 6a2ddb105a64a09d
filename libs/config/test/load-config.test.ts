import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, serviceEnvSchema } from '../src/index.ts';

describe('loadConfig', () => {
  it('parses a valid environment with defaults', () => {
    const config = loadConfig(serviceEnvSchema, {
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/db',
      NATS_URL: 'nats://127.0.0.1:4222,nats://127.0.0.1:4223',
    });
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.NATS_STREAM_REPLICAS).toBe(1);
  });

  it('names every missing or malformed key at once', () => {
    const schema = serviceEnvSchema.extend({ STRIPE_WEBHOOK_SECRET: z.string().min(1) });
    const error = (() => {
      try {
        loadConfig(schema, { NATS_URL: 'http://nope', LOG_LEVEL: 'loud' });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i) => i.key).sort()).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'NATS_URL',
      'STRIPE_WEBHOOK_SECRET',
    ]);
    expect(error.message).toContain('STRIPE_WEBHOOK_SECRET');
  });

  it('stops a service process with a non-zero exit and a message naming the bad keys', () => {
    const main = fileURLToPath(new URL('../../../services/identity/src/main.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', main], {
      env: { PATH: process.env.PATH, NATS_URL: 'not a url', LOG_LEVEL: 'info' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).toContain('NATS_URL');
  });
});
