import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface OpsCommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line, parsed (the commands print one JSON summary). */
  json<T = Record<string, unknown>>(): T;
  ms: number;
}

/**
 * Runs a root `package.json` script as an operator would (`pnpm <script> …args`), in a child
 * process with exactly `env` plus PATH: the command reads its configuration from there. The
 * script's command line is taken from package.json and run with node directly (pnpm's banner
 * and start-up add nothing to what is tested).
 */
export function runOpsCommand(
  script: 'reconcile:stripe' | 'rescan:chain',
  args: readonly string[],
  env: Record<string, string>,
): Promise<OpsCommandResult> {
  const scripts = (
    JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const [command, ...scriptArgs] = (scripts[script] ?? '').split(' ');
  if (command !== 'node') throw new Error(`${script} is not a node command: ${scripts[script]}`);
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...scriptArgs, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({
          code,
          stdout,
          stderr,
          ms: Math.round(performance.now() - started),
          json: <T>() => JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as T,
        });
      },
    );
  });
}
