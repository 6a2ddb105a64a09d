import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTEXTS } from '@coterie/contracts';
import { ensureChain, ensurePostgres } from '../devstack/index.ts';
import { runScaleOut } from './scale-out.ts';

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
  const report = await runScaleOut({
    databaseUrl: postgres.url,
    chainsJson: chain.chainsJson,
    services: CONTEXTS,
    phaseMs: phaseSeconds * 1000,
    concurrency: {
      signIns: Number(process.env.SOAK_SIGNIN_CLIENTS ?? 8),
      checks: Number(process.env.SOAK_CHECK_CLIENTS ?? 8),
      creations: Number(process.env.SOAK_CREATION_CLIENTS ?? 4),
    },
    log: (line) => process.stdout.write(`[soak] ${line}\n`),
  });
  process.stdout.write('\nphase  | seconds | sign-ins/s | checks/s | creations/s | errors\n');
  for (const p of report.phases) {
    const rate = (n: number) => (n / p.seconds).toFixed(1).padStart(8);
    const errors = p.errors.signIns + p.errors.checks + p.errors.creations;
    process.stdout.write(
      `${p.phase.padEnd(6)} | ${p.seconds.toFixed(1).padStart(7)} | ${rate(p.ok.signIns)}   | ${rate(p.ok.checks)} | ${rate(p.ok.creations)}    | ${errors}\n`,
    );
  }
  process.stdout.write(
    `\nkilled: NATS ${report.killedNatsNode}, replicas ${report.killedReplicas.join(', ')}\n`,
  );
  process.stdout.write(`verification: ${JSON.stringify(report.verification)}\n`);
  for (const sample of report.errorSamples) process.stdout.write(`error: ${sample}\n`);
  const v = report.verification;
  const exact =
    v.signInsWithOneSession === v.acceptedSignIns &&
    v.signInsWithOneEvent === v.acceptedSignIns &&
    v.creationsWithOneRow === v.acceptedCreations &&
    v.creationsWithOneEvent === v.acceptedCreations &&
    v.duplicateEvents === 0;
  process.stdout.write(exact ? 'exactly one effect per accepted write: yes\n' : 'EXACTLY-ONCE VIOLATED\n');
  process.exitCode = exact ? 0 : 1;
} finally {
  await Promise.allSettled([chain.stop(), postgres.stop()]);
}
