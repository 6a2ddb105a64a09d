import { runScaleOut } from '@coterie/infra/scale';
import { describe, expect, inject, it } from 'vitest';

/**
 * The reduced scale-out proof (`infra/src/scale/soak.ts` is the long one): a 3-node JetStream
 * cluster with R3 streams; identity, entitlements, tipping and governance as two replicas each;
 * one gateway; Stripe's side played by the local double. Sign-ins, entitlement checks, fiat tips,
 * signed votes and subscriptions under load while a NATS node and then one replica of each service
 * are SIGKILLed. Only requests in flight at a kill may fail; every accepted write has exactly one
 * effect.
 */
describe('scale-out on a NATS cluster', () => {
  it('keeps serving through a NATS node and a replica of each service dying, with exactly one effect per accepted write', async () => {
    const infra = inject('infra');
    const demo = infra.demo;
    if (!demo) throw new Error('the scale-out test needs the dev chain the test setup starts (CHAINS unset)');
    const concurrency = { signIns: 2, checks: 2, tips: 2, votes: 2, subscriptions: 2 };
    const report = await runScaleOut({
      databaseUrl: infra.databaseUrl,
      chainsJson: infra.chainsJson,
      chain: { rpcUrl: demo.rpcUrl, communityToken: demo.contracts.CommunityToken as `0x${string}` },
      services: ['identity', 'entitlements', 'tipping', 'governance'],
      // During and after outlast the longest wait of a request in flight on a dead node or
      // replica (a vote: the gateway gives governance 15 s, as it may read the chain; a sign-in:
      // two RPCs of 5 s one after the other), so such a client gets its error and succeeds again
      // within the phase, even on a busy machine where the stream's new leader is elected slowly.
      phaseMs: { before: 4_000, during: 18_000, after: 18_000 },
      concurrency,
      ballots: { voters: 12, proposals: 100 },
      log: (line) => process.stdout.write(`[scale] ${line}\n`),
    });
    process.stdout.write(`[scale] ${JSON.stringify(report, null, 2)}\n`);

    const [before, during, after] = report.phases;
    for (const phase of [before, during, after]) {
      for (const kind of Object.keys(concurrency) as (keyof typeof concurrency)[]) {
        expect(phase?.ok[kind], `${phase?.phase} ${kind}`).toBeGreaterThan(0);
      }
    }
    // Each kill can fail at most the requests in flight at that moment (each client has one; a
    // sign-in, also the subscriber's, can wait out two RPC timeouts).
    const inFlight =
      concurrency.signIns * 2 +
      concurrency.subscriptions * 2 +
      concurrency.checks +
      concurrency.tips +
      concurrency.votes;
    const errors = report.phases.flatMap((p) => Object.values(p.errors)).reduce((a, b) => a + b, 0);
    expect(errors).toBeLessThanOrEqual(2 * inFlight);

    const v = report.verification;
    expect(v.acceptedSignIns).toBeGreaterThan(0);
    expect(v.signInsWithOneSession).toBe(v.acceptedSignIns);
    expect(v.signInsWithOneEvent).toBe(v.acceptedSignIns);
    expect(v.acceptedTips).toBeGreaterThan(0);
    expect(v.tipsCreditedOnce).toBe(v.acceptedTips);
    expect(v.acceptedVotes).toBeGreaterThan(0);
    expect(v.votesCountedOnce).toBe(v.acceptedVotes);
    expect(v.acceptedSubscriptions).toBeGreaterThan(0);
    expect(v.subscriptionsGrantedOnce).toBe(v.acceptedSubscriptions);
    expect(v.duplicateEvents).toBe(0);
  }, 240_000);
});
