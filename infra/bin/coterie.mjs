#!/usr/bin/env node
// The two commands' entry point. Plain Node (no dependencies): it runs on a fresh clone
// before anything is installed, installs the pinned pnpm and the workspace, then hands over.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '');
const command = process.argv[2];

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 11)) {
  console.error(`Coterie needs Node.js 20.11 or newer; this is ${process.version}.`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function runOrExit(cmd, args, what) {
  const status = run(cmd, args);
  if (status !== 0) {
    console.error(`\n✖ ${what} failed (exit ${status})`);
    process.exit(status);
  }
}

/** The pinned pnpm: the one on PATH if it is that version, else installed with npm. */
function pnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === pnpmVersion) return ['pnpm', []];
  console.log(`→ installing pnpm ${pnpmVersion}`);
  const global = spawnSync('npm', ['install', '--global', `pnpm@${pnpmVersion}`], { stdio: 'inherit' });
  const again = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (global.status === 0 && again.status === 0 && again.stdout.trim() === pnpmVersion) return ['pnpm', []];
  // No permission for a global install: run the pinned version through npx instead.
  return ['npx', ['--yes', `pnpm@${pnpmVersion}`]];
}

const [pnpmCmd, pnpmPrefix] = pnpm();
const pnpmRun = (args, what) => runOrExit(pnpmCmd, [...pnpmPrefix, ...args], what);

const started = Date.now();
console.log('→ installing dependencies');
pnpmRun(['install', '--frozen-lockfile', '--reporter=append-only'], 'pnpm install');
if (command === 'test' || command === 'start') {
  console.log('→ building the web app (vite)');
  pnpmRun(['--filter', '@coterie/web', 'build'], 'web app build');
}

switch (command) {
  case 'test': {
    console.log('→ lint and format (biome)');
    pnpmRun(['exec', 'biome', 'check', '.'], 'biome check');
    console.log('→ type check (tsc)');
    pnpmRun(['exec', 'tsc', '-p', 'tsconfig.json', '--noEmit'], 'type check');
    pnpmRun(['exec', 'tsc', '-p', 'services/web/tsconfig.json', '--noEmit'], 'type check (web app)');
    console.log('→ tests (vitest)');
    pnpmRun(['exec', 'vitest', 'run', ...process.argv.slice(3)], 'tests');
    console.log(`✔ all checks passed in ${Math.round((Date.now() - started) / 1000)} s`);
    break;
  }
  case 'start':
    process.exit(run('node', ['--import', 'tsx', 'infra/src/launcher/start.ts', ...process.argv.slice(3)]));
    break;
  case 'bench':
    process.exit(run('node', ['--import', 'tsx', 'infra/src/bench/run.ts', ...process.argv.slice(3)]));
    break;
  default:
    console.error('usage: coterie.mjs start|test|bench');
    process.exit(2);
}
