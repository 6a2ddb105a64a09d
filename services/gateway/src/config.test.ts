import { ConfigError, loadConfig } from '@coterie/config';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config.ts';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', NATS_URL: 'nats://127.0.0.1:4222' };

describe('gateway config', () => {
  it('has defaults for a local run, and derives the SIWE domain from the app origin', () => {
    const config = loadConfig(configSchema, base);
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      APP_ORIGIN: 'http://localhost:3000',
      APP_DOMAIN: 'localhost:3000',
      READYZ_TIMEOUT_MS: 1500,
    });
    expect(config.CHAINS).toBeUndefined();
    expect(config.DEMO_INFO).toBeUndefined();
  });

  it('parses CHAINS and DEMO_INFO, and checksums the demo addresses', () => {
    const config = loadConfig(configSchema, {
      ...base,
      APP_ORIGIN: 'https://club.example.com/',
      CHAINS: JSON.stringify([{ chainId: 31337, rpcUrl: 'http://127.0.0.1:8545' }]),
      DEMO_INFO: JSON.stringify({
        communitySlug: 'demo',
        contracts: {
          CommunityToken: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
          MembershipPass: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
          MemberBadge: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0',
          SmartWallet: '0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9',
        },
      }),
      STRIPE_PUBLISHABLE_KEY: '',
    });
    expect(config.APP_ORIGIN).toBe('https://club.example.com');
    expect(config.APP_DOMAIN).toBe('club.example.com');
    expect(config.CHAINS).toEqual([expect.objectContaining({ chainId: 31337, confirmations: 1 })]);
    expect(config.DEMO_INFO?.contracts.CommunityToken).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
    expect(config.STRIPE_PUBLISHABLE_KEY).toBeUndefined();
  });

  it('names every bad key at once', () => {
    const error = (() => {
      try {
        loadConfig(configSchema, { ...base, CHAINS: 'not json', DEMO_INFO: '{}', READYZ_TIMEOUT_MS: 'soon' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(new Set(error?.issues.map((issue) => issue.key.split('.')[0]))).toEqual(
      new Set(['CHAINS', 'DEMO_INFO', 'READYZ_TIMEOUT_MS']),
    );
  });
});
