// Runs a local dev chain for manual work: `pnpm --filter @coterie/contracts-abi dev-chain [--port N] [--host H]`.
// Stdout carries only the JSON description, so other tools can read it; logs go to stderr.
import { parseArgs } from 'node:util';
import { setupDevChain } from '../src/dev-chain/index.ts';
import { MULTICALL3_ADDRESS } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
  },
});

const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
  console.error(`invalid --port ${values.port}`);
  process.exit(2);
}

const dev = await setupDevChain({
  port,
  host: values.host,
  logger: { info: (...args) => console.error(...args) },
});

console.log(
  JSON.stringify(
    {
      rpcUrl: dev.rpcUrl,
      chainId: dev.chainId,
      pid: dev.pid,
      multicall3: MULTICALL3_ADDRESS,
      contracts: dev.contracts,
    },
    null,
    2,
  ),
);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  stopping = true;
  console.error(`${signal}: stopping dev chain`);
  await dev.stop();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

// If the node dies on its own there is nothing left to serve; exit instead of hanging.
dev.process.once('exit', (code) => {
  if (stopping) return;
  console.error(`hardhat node exited unexpectedly (code ${code})`);
  process.exit(1);
});
