import { SpanKind, startTelemetry } from '@coterie/telemetry';
import { eventually } from '@coterie/testing';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../support/platform.ts';
import { signInWithWallet } from '../support/siwe.ts';

const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ serviceName: 'e2e', spanProcessors: [new SimpleSpanProcessor(exporter)] });
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform.stop();
  await telemetry.shutdown();
});

describe('one trace per request, across NATS', () => {
  it('follows a sign-in from the gateway into identity and on into the consumer of the event it published', async () => {
    exporter.reset();
    await signInWithWallet(platform.browser(), privateKeyToAccount(generatePrivateKey()));
    const finished = () => exporter.getFinishedSpans();
    const httpSpan = () =>
      finished().find((s) => s.kind === SpanKind.SERVER && s.name === 'POST /v1/auth/siwe/verify');
    // entitlements consumes identity.wallet.linked.v1 (a first sign-in links the wallet).
    const consumerSpan = await eventually(
      async () => {
        await telemetry.forceFlush();
        const root = httpSpan();
        return finished().find(
          (s) =>
            s.kind === SpanKind.CONSUMER &&
            s.name === 'identity.wallet.linked.v1 process' &&
            s.spanContext().traceId === root?.spanContext().traceId,
        );
      },
      { timeoutMs: 15_000 },
    );
    const traceId = consumerSpan?.spanContext().traceId;
    const names = finished()
      .filter((s) => s.spanContext().traceId === traceId)
      .map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /v1/auth/siwe/verify',
        'identity.rpc.siweVerify send',
        'identity.rpc.siweVerify process',
        'identity.wallet.linked.v1 publish',
        'identity.wallet.linked.v1 process',
      ]),
    );
  });
});
