import { parseArgs } from 'node:util';
import { loadConfigOrExit, serviceEnvSchema } from '@coterie/config';
import { entitlementsRpc } from '@coterie/contracts';
import { connectNats, createNaming, createRpcClient } from '@coterie/messaging';

/**
 * `pnpm rescan:chain --chain 31337 --from <block>`: entitlements' Transfer-log watcher reads the
 * chain again from that block (its cursor moves back, never forward), re-evaluating every member
 * a transfer in the range touched: for a node that returned incomplete logs, a gate added on a
 * token with history, or any doubt. Safe to run twice. Needs only NATS (`NATS_URL`,
 * `COTERIE_NAMESPACE`); prints the watcher's position before and after as JSON.
 */
const configSchema = serviceEnvSchema.pick({ NATS_URL: true, COTERIE_NAMESPACE: true });

const { values } = parseArgs({ options: { chain: { type: 'string' }, from: { type: 'string' } } });
const chainId = Number(values.chain);
const fromBlock = Number(values.from);
if (!Number.isSafeInteger(chainId) || chainId <= 0 || !Number.isSafeInteger(fromBlock) || fromBlock < 0) {
  process.stderr.write('usage: pnpm rescan:chain --chain <chainId> --from <block height>\n');
  process.exit(64); // EX_USAGE
}
const config = loadConfigOrExit(configSchema);
const nc = await connectNats({ url: config.NATS_URL, name: 'rescan-chain' });
try {
  const rpc = createRpcClient(nc, createNaming(config.COTERIE_NAMESPACE), { timeoutMs: 15_000 });
  const result = await rpc.call(entitlementsRpc.rescanChain, { chainId, fromBlock });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  const { code, message } = error as { code?: string; message?: string };
  process.stderr.write(`rescan failed: ${code ?? 'error'}: ${message ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  await nc.drain();
}
