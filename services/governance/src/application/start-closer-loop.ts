import type { GovernanceDeps } from '../ports.ts';
import { closeDueProposals } from './close-due-proposals.ts';

export interface CloserLoop {
  stop(): Promise<void>;
}

/** Runs {@link closeDueProposals} every `intervalMs` (and again at once while a batch came back full). */
export function startCloserLoop(deps: GovernanceDeps, intervalMs: number, batchSize = 50): CloserLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      while (!stopped && (await closeDueProposals(deps, batchSize)) === batchSize) {}
    } catch (error) {
      deps.logger.warn({ err: error }, 'closing due proposals failed; will retry');
    }
    schedule();
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick();
    }, intervalMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
