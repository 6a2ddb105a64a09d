import { entitlementsRpc } from '@coterie/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EntitlementsFixture, entitlementsFixture } from '../factories/entitlements-fixture.ts';

let f: EntitlementsFixture;

beforeAll(async () => {
  // The watcher is off (the fixture's default): the cursor moves only by these calls.
  f = await entitlementsFixture({ LOG_LEVEL: 'error' });
});
afterAll(() => f?.close());

const cursor = async () =>
  (await f.runtime.pool.query<{ next_block: string }>('SELECT next_block FROM chain_cursors')).rows[0]
    ?.next_block;

describe('entitlements.rpc.rescanChain', () => {
  it('moves the watcher cursor back, never forward; starts one that never ran; refuses unknown chains', async () => {
    const rescan = (fromBlock: number, chainId = 31337) =>
      f.rpc.call(entitlementsRpc.rescanChain, { chainId, fromBlock });
    expect(await rescan(40)).toEqual({ chainId: 31337, previousNextBlock: null, nextBlock: 40 });
    expect(await cursor()).toBe('40');
    expect(await rescan(25)).toEqual({ chainId: 31337, previousNextBlock: 40, nextBlock: 25 });
    // Ahead of the cursor: those blocks will be read anyway, the cursor stays.
    expect(await rescan(90)).toEqual({ chainId: 31337, previousNextBlock: 25, nextBlock: 25 });
    expect(await cursor()).toBe('25');
    await expect(rescan(0, 1)).rejects.toMatchObject({ code: 'unknown_chain', status: 400 });
    await expect(
      f.rpc.call(entitlementsRpc.rescanChain, { chainId: 31337, fromBlock: -1 }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
