import type { DestinationStream } from 'pino';

/** What the batcher writes to: pino's SonicBoom destination (any stream with these works). */
export interface BatchSink {
  write(chunk: string): unknown;
  flushSync?(): void;
}

// Batchers holding lines, for the exit handler; each leaves the set at its next flush.
const holdingLines = new Set<LineBatcher>();
process.on('exit', () => {
  for (const batcher of holdingLines) batcher.flushSync();
});

/**
 * A pino destination that hands the lines of one event-loop turn to its sink as one string.
 *
 * SonicBoom (pino's destination) measures the byte length of all it holds on every `write`, so
 * while an asynchronous write is in flight each new line costs more than the last: about 4 µs a
 * line in a tight loop, against 1.5 µs for pino's own formatting. Joined per turn,
 * the sink gets one write per turn instead of one per request. No line waits longer than the
 * turn it was logged in; lines pending when the process exits are written synchronously.
 */
export class LineBatcher implements DestinationStream {
  private pending: string[] = [];
  private readonly sink: BatchSink;

  constructor(sink: BatchSink) {
    this.sink = sink;
  }

  write(line: string): boolean {
    if (this.pending.push(line) === 1) {
      holdingLines.add(this);
      setImmediate(this.flush);
    }
    return true;
  }

  /** Hands the pending lines to the sink (an asynchronous sink writes them soon after). */
  readonly flush = (): void => {
    if (this.pending.length === 0) return;
    const batch = this.pending.join('');
    this.pending = [];
    holdingLines.delete(this);
    this.sink.write(batch);
  };

  /** Hands the pending lines to the sink and has it write everything it holds now. */
  flushSync(): void {
    this.flush();
    this.sink.flushSync?.();
  }
}
