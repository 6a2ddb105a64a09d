import type { Context, HealthResponse } from '@coterie/contracts';
import { CONTEXTS } from '@coterie/contracts';

export interface Check {
  ok: boolean;
  detail?: string;
}

export interface ServiceCheck extends Check {
  instanceId?: string;
  version?: string;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: {
    nats: Check;
    postgres: Check;
    services: Record<Context, ServiceCheck>;
  };
}

/** What readiness is asked of; each rejects (or never settles) when its dependency is down. */
export interface ReadinessProbes {
  nats(): Promise<void>;
  postgres(): Promise<void>;
  serviceHealth(context: Context): Promise<HealthResponse>;
}

export interface CheckReadinessInput {
  /** Every probe runs in parallel and gets this long; a slow dependency counts as down. */
  timeoutMs: number;
}

/** Ready when NATS, PostgreSQL and every one of the six services answer healthy in time. */
export async function checkReadiness(
  probes: ReadinessProbes,
  input: CheckReadinessInput,
): Promise<Readiness> {
  const settle = <T>(run: () => Promise<T>, toCheck: (value: T) => ServiceCheck): Promise<ServiceCheck> =>
    withTimeout(run, input.timeoutMs).then(toCheck, failed);
  const [nats, postgres, services] = await Promise.all([
    settle(probes.nats, ok),
    settle(probes.postgres, ok),
    Promise.all(
      CONTEXTS.map(async (context) => {
        const check = await settle(() => probes.serviceHealth(context), serviceCheck);
        return [context, check] as const;
      }),
    ),
  ]);
  const ready = nats.ok && postgres.ok && services.every(([, check]) => check.ok);
  return {
    status: ready ? 'ready' : 'not_ready',
    checks: { nats, postgres, services: Object.fromEntries(services) as Record<Context, ServiceCheck> },
  };
}

function ok(): Check {
  return { ok: true };
}

function failed(error: unknown): Check {
  return { ok: false, detail: error instanceof Error ? error.message : String(error) };
}

function serviceCheck(health: HealthResponse): ServiceCheck {
  const failing = Object.entries(health.checks)
    .filter(([, check]) => !check.ok)
    .map(([name, check]) => (check.detail ? `${name}: ${check.detail}` : name));
  return {
    ok: health.status === 'ok',
    instanceId: health.instanceId,
    version: health.version,
    ...(failing.length > 0 ? { detail: `degraded: ${failing.join('; ')}` } : {}),
  };
}

async function withTimeout<T>(run: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
