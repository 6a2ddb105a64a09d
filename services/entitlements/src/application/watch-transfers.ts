import { withTransaction } from '@coterie/db';
import type { TransferLogReader } from '../adapters/chain/transfer-logs.ts';
import {
  findChainCursor,
  initChainCursor,
  saveChainCursor,
} from '../adapters/postgres/chain-cursors-repository.ts';
import { allGates } from '../adapters/postgres/tiers-repository.ts';
import { ChainUnavailableError } from '../domain/errors.ts';
import { watchedTokens } from '../domain/gates/index.ts';
import type { Deps } from '../ports.ts';
import { applyMemberships, type MembershipChange, publishMembershipChanges } from './apply-memberships.ts';
import { computeMemberships, type MembershipTarget } from './compute-memberships.ts';

const ZERO = '0x0000000000000000000000000000000000000000';

export interface WatchedChain {
  chainId: number;
  confirmations: number;
}

export interface PollResult {
  fromBlock: bigint;
  toBlock: bigint;
  /** Confirmed blocks left after this range: the caller polls again at once while > 0. */
  behind: bigint;
  targets: MembershipTarget[];
  changes: MembershipChange[];
}

/**
 * One step of the transfer-log watcher on one chain: reads the logs of every gating contract in
 * the next *confirmed* range (up to `latest − confirmations`, so a transfer a reorg removes is
 * never seen), maps senders and receivers to members through identity, re-evaluates those
 * members with chain reads at the confirmed head, and commits their memberships together with the
 * advanced cursor. A replica that finds the cursor moved by another (or rewound by `rescanChain`)
 * drops its work. The first pass starts at the confirmed head: history is the re-verification
 * loop's job, or a rescan's.
 */
export async function pollTransfers(
  deps: Deps,
  logs: TransferLogReader,
  chain: WatchedChain,
  maxBlocks: number,
): Promise<PollResult | undefined> {
  const latest = await logs.latestBlock(chain.chainId);
  const confirmed = latest - BigInt(chain.confirmations);
  if (confirmed < 0n) return undefined;
  const cursor =
    (await findChainCursor(deps.pool, chain.chainId)) ??
    (await initChainCursor(deps.pool, chain.chainId, confirmed + 1n));
  if (cursor > confirmed) return undefined;
  const toBlock = confirmed < cursor + BigInt(maxBlocks) - 1n ? confirmed : cursor + BigInt(maxBlocks) - 1n;

  const startedAt = deps.now();
  const tokens =
    watchedTokens(await allGates(deps.pool)).get(chain.chainId) ?? new Map<string, Set<string>>();
  const targets: MembershipTarget[] = [];
  if (tokens.size > 0) {
    const transfers = await logs.transfers(chain.chainId, [...tokens.keys()], cursor, toBlock);
    const parties = new Set<string>();
    for (const t of transfers) for (const a of [t.from, t.to]) if (a !== ZERO) parties.add(a);
    const memberOf = parties.size > 0 ? await deps.members.memberIdsByAddress([...parties]) : new Map();
    const seen = new Set<string>();
    for (const t of transfers) {
      for (const address of [t.from, t.to]) {
        const memberId = memberOf.get(address);
        if (!memberId) continue;
        for (const communityId of tokens.get(t.token) ?? []) {
          const key = `${communityId}:${memberId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          targets.push({ communityId, memberId });
        }
      }
    }
  }
  // Holdings at the confirmed head, not at the range's end: while a backlog (or a rescan) is
  // read range by range, a member touched in an early range is judged on what they hold now, so
  // they are not granted and revoked again on the way.
  const computed =
    targets.length > 0
      ? await computeMemberships(deps, targets, { blockNumbers: new Map([[chain.chainId, confirmed]]) })
      : [];
  // A balance read failed: judging those members now would drop this range's news for them.
  // Keep the cursor and read the range again (the loop backs off).
  if (computed.some((m) => m.undetermined)) throw new ChainUnavailableError();

  let changes: MembershipChange[] = [];
  const advanced = await withTransaction(deps.pool, async (client) => {
    const current = await findChainCursor(client, chain.chainId, { forUpdate: true });
    if (current !== cursor) return false;
    changes = await applyMemberships(deps, client, computed, { startedAt });
    await saveChainCursor(client, chain.chainId, toBlock + 1n);
    return true;
  });
  if (!advanced) return undefined;
  publishMembershipChanges(deps, changes);
  return { fromBlock: cursor, toBlock, behind: confirmed - toBlock, targets, changes };
}

export interface ChainWatcher {
  stop(): Promise<void>;
}

/** Polls every chain every `intervalMs`, draining a backlog range after range. */
export function startChainWatcher(
  deps: Deps,
  logs: TransferLogReader,
  chains: readonly WatchedChain[],
  options: { intervalMs: number; maxBlocks: number },
): ChainWatcher {
  let stopped = false;
  const sleeps = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleeps.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleeps.add(done);
    });

  const loops = chains.map(async (chain) => {
    let failures = 0;
    while (!stopped) {
      try {
        const result = await pollTransfers(deps, logs, chain, options.maxBlocks);
        failures = 0;
        if (result && result.behind > 0n) continue;
      } catch (error) {
        failures += 1;
        deps.logger.warn(
          { err: error, chainId: chain.chainId, failures },
          'transfer watch failed; will retry',
        );
      }
      await sleep(
        failures > 0 ? Math.min(30_000, options.intervalMs * 2 ** Math.min(failures, 5)) : options.intervalMs,
      );
    }
  });
  return {
    async stop() {
      stopped = true;
      for (const wake of [...sleeps]) wake();
      await Promise.all(loops);
    },
  };
}
