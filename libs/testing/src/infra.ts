import { inject } from 'vitest';

/** What the global setup started (or took from the environment) for this test run. */
export interface TestInfra {
  databaseUrl: string;
  natsUrl: string;
  /** The `CHAINS` JSON services read. */
  chainsJson: string;
  /** Set when the run started its own dev chain with the demo contracts. */
  demo?: {
    rpcUrl: string;
    contracts: { CommunityToken: string; MembershipPass: string; MemberBadge: string; SmartWallet: string };
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    infra: TestInfra;
  }
}

export function testInfra(): TestInfra {
  return inject('infra');
}
