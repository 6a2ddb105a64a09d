import { once } from 'node:events';
import type { Server } from 'node:net';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { rpcRequest, startDevChain } from '../src/dev-chain/index.ts';

describe('startDevChain', () => {
  it('picks a free port, reports readiness through the logger, and stops idempotently', async () => {
    const logged: unknown[][] = [];
    const chain = await startDevChain({ logger: { info: (...args) => logged.push(args) } });
    try {
      expect(chain.port).toBeGreaterThan(0);
      expect(chain.rpcUrl).toBe(`http://127.0.0.1:${chain.port}`);
      expect(await rpcRequest(chain.rpcUrl, 'eth_chainId')).toBe('0x7a69');
      expect(String(logged[0]?.[0])).toContain(chain.rpcUrl);
    } finally {
      await chain.stop();
      await chain.stop();
    }
    expect(chain.process.exitCode !== null || chain.process.signalCode !== null).toBe(true);
    await expect(rpcRequest(chain.rpcUrl, 'eth_chainId', [], 1_000)).rejects.toThrow();
  }, 60_000);

  it("fails fast with Hardhat's stderr when the requested port is taken", async () => {
    const blocker: Server = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    try {
      await expect(startDevChain({ port: address.port })).rejects.toThrow(
        /exited[\s\S]*stderr[\s\S]*EADDRINUSE/,
      );
    } finally {
      blocker.close();
    }
  }, 60_000);
});
