import { runScaleOut } from '@coterie/infra/scale';
import { describe, expect, inject, it } from 'vitest';

/**
 * The reduced scale-out proof (`infra/src/scale/soak.ts` is the long one): a 3-node JetStream
 * cluster with R3 streams, identity and entitlements as two replicas each, one gateway; sign-ins,
 * entitlement checks and community creations under load while a NATS node and then one replica of
 * each service are SIGKILLed. Only requests in flight at a kill may fail; every accepted write has
 * exactly one effect.
 */
describe('scale-out on a NATS cluster', () => {
  it('keeps serving through a NATS node and a replica of each service dying, with exactly one effect per accepted write', async () => {
    const infra = inject('infra');
    const concurrency = { signIns: 3, checks: 3, creations: 2 };
    const report = await runScaleOut({
      databaseUrl: infra.databaseUrl,
      chainsJson: infra.chainsJson,
      services: ['identity', 'entitlements'],
      // During and after outlast a sign-in's two RPCs timing out one after the other (2 × 5 s),
      // so a client stuck on a dead node or replica gets its error and succeeds again within the
      // phase, even on a busy machine where the stream's new leader is elected slowly.
      phaseMs: { before: 3_000, during: 12_000, after: 12_000 },
      concurrency,
      log: (line) => process.stdout.write(`[scale] ${line}\n`),
    });
    process.stdout.write(`[scale] ${JSON.stringify(report, null, 2)}\n`);

    const [before, during, after] = report.phases;
    for (const phase of [before, during, after]) {
      expect(phase?.ok.signIns).toBeGreaterThan(0);
      expect(phase?.ok.checks).toBeGreaterThan(0);
      expect(phase?.ok.creations).toBeGreaterThan(0);
    }
    // Each kill can fail at most the requests in flight at that moment (each client has one).
    const inFlight = concurrency.signIns * 2 + concurrency.checks + concurrency.creations;
    const errors = report.phases.flatMap((p) => Object.values(p.errors)).reduce((a, b) => a + b, 0);
    expect(errors).toBeLessThanOrEqual(2 * inFlight);

    const v = report.verification;
    expect(v.acceptedSignIns).toBeGreaterThan(0);
    expect(v.signInsWithOneSession).toBe(v.acceptedSignIns);
    expect(v.signInsWithOneEvent).toBe(v.acceptedSignIns);
    expect(v.creationsWithOneRow).toBe(v.acceptedCreations);
    expect(v.creationsWithOneEvent).toBe(v.acceptedCreations);
    expect(v.duplicateEvents).toBe(0);
  }, 120_000);
});
