import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The secrets a service refuses to start without; only `npm start` invents them. */
const SECRET_KEYS = ['IDENTITY_TOKEN_SECRET'] as const;

/**
 * Secrets have no defaults in the services. For a local `npm start` we generate each once and
 * keep it in `.data/dev/secrets.json` (so sessions survive a restart); values in the
 * environment win.
 */
export async function devSecrets(dataDir: string): Promise<Record<string, string>> {
  const file = join(dataDir, 'secrets.json');
  const stored = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as Record<string, string>)
    .catch(() => ({}) as Record<string, string>);
  let changed = false;
  for (const key of SECRET_KEYS) {
    if (!stored[key]) {
      stored[key] = randomBytes(32).toString('base64url');
      changed = true;
    }
  }
  if (changed) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return stored;
}
