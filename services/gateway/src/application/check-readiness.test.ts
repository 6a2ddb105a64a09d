import type { Context, HealthResponse } from '@coterie/contracts';
import { describe, expect, it } from 'vitest';
import { checkReadiness, type ReadinessProbes } from './check-readiness.ts';

const healthy = (context: Context): HealthResponse => ({
  service: context,
  version: '0.1.0',
  instanceId: `${context}-1`,
  status: 'ok',
  checks: { postgres: { ok: true } },
});

const allUp: ReadinessProbes = {
  nats: async () => {},
  postgres: async () => {},
  serviceHealth: async (context) => healthy(context),
};

describe('checkReadiness', () => {
  it('is ready when every dependency and service answers healthy', async () => {
    const readiness = await checkReadiness(allUp, { timeoutMs: 100 });
    expect(readiness.status).toBe('ready');
    expect(readiness.checks.nats).toEqual({ ok: true });
    expect(readiness.checks.services.governance).toEqual({
      ok: true,
      instanceId: 'governance-1',
      version: '0.1.0',
    });
    expect(Object.keys(readiness.checks.services)).toHaveLength(6);
  });

  it('counts a probe that does not answer in time as down, without waiting for it', async () => {
    const started = Date.now();
    const readiness = await checkReadiness(
      { ...allUp, postgres: () => new Promise(() => {}) },
      { timeoutMs: 50 },
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(readiness.status).toBe('not_ready');
    expect(readiness.checks.postgres).toEqual({ ok: false, detail: 'no answer within 50 ms' });
  });

  it('names a failing service and keeps the others ok', async () => {
    const readiness = await checkReadiness(
      {
        ...allUp,
        serviceHealth: async (context) => {
          if (context === 'tipping') throw new Error('no service answers tipping.rpc.health');
          return healthy(context);
        },
      },
      { timeoutMs: 100 },
    );
    expect(readiness.status).toBe('not_ready');
    expect(readiness.checks.services.tipping).toEqual({
      ok: false,
      detail: 'no service answers tipping.rpc.health',
    });
    expect(readiness.checks.services.identity.ok).toBe(true);
  });

  it('reports a degraded service with the checks that failed', async () => {
    const readiness = await checkReadiness(
      {
        ...allUp,
        serviceHealth: async (context) =>
          context === 'events'
            ? {
                ...healthy(context),
                status: 'degraded',
                checks: { postgres: { ok: false, detail: 'timed out' } },
              }
            : healthy(context),
      },
      { timeoutMs: 100 },
    );
    expect(readiness.status).toBe('not_ready');
    expect(readiness.checks.services.events).toMatchObject({
      ok: false,
      detail: 'degraded: postgres: timed out',
    });
  });
});
