import { eventually, testInfra } from '@coterie/testing';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { type ProcessPlatform, signInMember, startProcessPlatform } from '../support/process-platform.ts';

/**
 * What an operator sees in Jaeger, short of Jaeger: every service runs as its own process and
 * exports over OTLP/HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT`) to a local receiver standing in for the
 * collector. One HTTP request must arrive as one connected trace across the processes.
 */

const SERVER = 2;
const CONSUMER = 5;

let receiver: OtlpReceiver;
let platform: ProcessPlatform;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const infra = testInfra();
  platform = await startProcessPlatform({
    databaseUrl: infra.databaseUrl,
    natsUrl: infra.natsUrl,
    chainsJson: infra.chainsJson,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' },
  });
}, 120_000);
afterAll(async () => {
  await platform?.stop();
  await receiver?.stop();
});

describe('tracing exported over OTLP from separate processes', () => {
  it('delivers a sign-in as one trace: gateway → identity over NATS → the consumer of its event', async () => {
    await signInMember(platform.gatewayUrl, privateKeyToAccount(generatePrivateKey()));
    const trace = await eventually(
      () => {
        const root = receiver.spans.find(
          (s) =>
            s.service === 'coterie-gateway' && s.kind === SERVER && s.name === 'POST /v1/auth/siwe/verify',
        );
        expect(
          root,
          `the gateway exported its server span; got ${[...new Set(receiver.spans.map((s) => `${s.service}: ${s.name}`))].join(', ')}`,
        ).toBeDefined();
        const spans = receiver.spans.filter((s) => s.traceId === root?.traceId);
        // entitlements consumes identity.wallet.linked.v1 (a first sign-in links the wallet).
        expect(
          spans.some(
            (s) =>
              s.service === 'coterie-entitlements' &&
              s.kind === CONSUMER &&
              s.name === 'identity.wallet.linked.v1 process',
          ),
        ).toBe(true);
        return { root: root as ReceivedSpan, spans };
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const services = new Set(trace.spans.map((s) => s.service));
    expect([...services]).toEqual(
      expect.arrayContaining(['coterie-gateway', 'coterie-identity', 'coterie-entitlements']),
    );
    expect(trace.spans.map((s) => `${s.service}: ${s.name}`)).toEqual(
      expect.arrayContaining([
        'coterie-gateway: identity.rpc.siweVerify send',
        'coterie-identity: identity.rpc.siweVerify process',
        'coterie-identity: identity.wallet.linked.v1 publish',
        'coterie-entitlements: identity.wallet.linked.v1 process',
      ]),
    );
    // Connected: every span but the root has its parent in the same trace.
    const ids = new Set(trace.spans.map((s) => s.spanId));
    const orphans = trace.spans.filter((s) => s !== trace.root && !ids.has(s.parentSpanId));
    expect(orphans.map((s) => `${s.service}: ${s.name}`)).toEqual([]);
    expect(trace.root.parentSpanId).toBe('');
    expect(receiver.requests.get('/v1/traces')).toBeGreaterThan(0);
  }, 60_000);
});
