/** A chain call that outlived its deadline (`CHAIN_RPC_TIMEOUT_MS`): its facts are unknown. */
export class ChainReadTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'ChainReadTimeoutError';
  }
}

/**
 * `work`, or a `ChainReadTimeoutError` after `ms`, whichever comes first. viem's own per-request
 * timeout applies to each attempt; this bounds the whole call, retries included, so a node that
 * accepts connections and never answers costs a gated check at most `ms`.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainReadTimeoutError(what, ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
