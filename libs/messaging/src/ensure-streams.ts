import type { Context } from '@coterie/contracts';
import { streamSubjectsOf } from '@coterie/contracts';
import { type JetStreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { Naming } from './naming.ts';

export interface EnsureStreamsOptions {
  /** 3 on a JetStream cluster (R3), 1 on a single server. */
  replicas?: number;
  /** How long JetStream remembers a `Nats-Msg-Id` for deduplication. */
  duplicateWindowMs?: number;
}

const nanos = (ms: number) => ms * 1_000_000;

/** One stream per context capturing `<context>.>`; created or updated, never deleted. */
export async function ensureStreams(
  jsm: JetStreamManager,
  naming: Naming,
  contexts: readonly Context[],
  options: EnsureStreamsOptions = {},
): Promise<void> {
  for (const context of contexts) {
    const config = {
      name: naming.stream(context),
      subjects: [naming.subject(streamSubjectsOf(context))],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: options.replicas ?? 1,
      duplicate_window: nanos(options.duplicateWindowMs ?? 120_000),
    };
    const existing = await jsm.streams.info(config.name).catch(() => undefined);
    if (!existing) {
      await jsm.streams.add(config).catch(async (error: Error) => {
        // Another replica created it between our check and our add.
        if (!(await jsm.streams.info(config.name).catch(() => undefined))) throw error;
      });
    } else if (existing.config.duplicate_window !== config.duplicate_window) {
      await jsm.streams.update(config.name, { duplicate_window: config.duplicate_window });
    }
  }
}
