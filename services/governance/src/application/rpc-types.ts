import type { governanceRpc } from '@coterie/contracts';
import type { z } from 'zod';

/** A governance RPC's request after its schema ran (defaults applied): what use cases receive. */
export type GovernanceInput<K extends keyof typeof governanceRpc> = z.infer<
  (typeof governanceRpc)[K]['request']
>;
