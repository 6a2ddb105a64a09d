import type { Deps } from '../ports.ts';
import { reverifyDueMemberships } from './reverify-due-memberships.ts';

export interface ReverificationLoop {
  /** Looks for due memberships now instead of at the next tick. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Re-verifies due memberships every `tickMs`, draining full batches back to back. Transfer-log
 * watching will make most changes visible within seconds; this loop catches what it missed
 * (an RPC outage, a restart, a token without standard events).
 */
export function startReverificationLoop(
  deps: Deps,
  options: { tickMs: number; batchSize: number },
): ReverificationLoop {
  let stopped = false;
  let wake: (() => void) | undefined;
  let wakeRequested = false;
  const leaseMs = Math.max(60_000, deps.reverifyIntervalMs);

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        while (
          !stopped &&
          (await reverifyDueMemberships(deps, { batchSize: options.batchSize, leaseMs })) ===
            options.batchSize
        ) {
          // A full batch: more are probably due.
        }
      } catch (error) {
        deps.logger.warn({ err: error }, 're-verification pass failed; will retry');
      }
      if (stopped) break;
      if (wakeRequested) {
        wakeRequested = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.tickMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  const running = loop();
  return {
    wake: () => {
      if (wake) wake();
      else wakeRequested = true;
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
