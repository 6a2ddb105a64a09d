import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTEXTS } from '@coterie/contracts';
import { ensureChain, ensurePostgres } from '../devstack/index.ts';
import { exactlyOnce, LOAD_KINDS, runScaleOut } from './scale-out.ts';

/**
 * The long scale-out run (not run by CI):
 *
 *   node --import tsx infra/src/scale/soak.ts            # SOAK_PHASE_SECONDS=30 by default
 *
 * All six services as two replicas each plus a gateway, on a 3-node JetStream cluster started
 * from `infra/nats/cluster/` (ports 4231–4233 must be free); PostgreSQL from DATABASE_URL (or
 * embedded). Prints throughput before / during / after the failures and the exactly-once checks;
 * exits 1 when an accepted write lacks its one effect.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = join(root, '.data', 'soak');
const phaseSeconds = Number(process.env.SOAK_PHASE_SECONDS ?? 30);
const [postgres, chain] = await Promise.all([ensurePostgres(dataDir), ensureChain()]);
try {
  if (!chain.demo)
    throw new Error('the soak needs its own dev chain (the voters are funded there): unset CHAINS');
  const clients = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const report = await runScaleOut({
    databaseUrl: postgres.url,
    chainsJson: chain.chainsJson,
    chain: { rpcUrl: chain.demo.rpcUrl, communityToken: chain.demo.contracts.CommunityToken },
    services: CONTEXTS,
    phaseMs: phaseSeconds * 1000,
    concurrency: {
      signIns: clients('SOAK_SIGNIN_CLIENTS', 8),
      checks: clients('SOAK_CHECK_CLIENTS', 8),
      tips: clients('SOAK_TIP_CLIENTS', 4),
      votes: clients('SOAK_VOTE_CLIENTS', 4),
      subscriptions: clients('SOAK_SUBSCRIPTION_CLIENTS', 2),
    },
    ballots: { voters: 40, proposals: Math.max(60, phaseSeconds * 10) },
    log: (line) => process.stdout.write(`[soak] ${line}\n`),
  });
  process.stdout.write(
    `\nphase  | seconds | ${LOAD_KINDS.map((k) => `${k}/s`.padStart(16)).join(' | ')} | errors\n`,
  );
  for (const p of report.phases) {
    const rates = LOAD_KINDS.map((k) => (p.ok[k] / p.seconds).toFixed(1).padStart(16)).join(' | ');
    const errors = LOAD_KINDS.reduce((sum, k) => sum + p.errors[k], 0);
    process.stdout.write(
      `${p.phase.padEnd(6)} | ${p.seconds.toFixed(1).padStart(7)} | ${rates} | ${errors}\n`,
    );
  }
  process.stdout.write(
    `\nkilled: NATS ${report.killedNatsNode}, replicas ${report.killedReplicas.join(', ')}\n`,
  );
  process.stdout.write(`verification: ${JSON.stringify(report.verification)}\n`);
  for (const sample of report.errorSamples) process.stdout.write(`error: ${sample}\n`);
  const exact = exactlyOnce(report.verification);
  process.stdout.write(exact ? 'exactly one effect per accepted write: yes\n' : 'EXACTLY-ONCE VIOLATED\n');
  process.exitCode = exact ? 0 : 1;
} finally {
  await Promise.allSettled([chain.stop(), postgres.stop()]);
}
