import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileContracts } from '../scripts/lib/compile-contracts.ts';
import { generatedDir } from '../scripts/lib/paths.ts';
import { renderGeneratedFiles } from '../scripts/lib/render-generated-files.ts';

describe('src/generated', () => {
  it('matches a fresh compile of contracts/ (run `pnpm --filter @coterie/contracts-abi build` if not)', async () => {
    const expected = renderGeneratedFiles(await compileContracts());

    expect(readdirSync(generatedDir).sort()).toEqual([...expected.keys()].sort());
    for (const [name, contents] of expected) {
      // Compare per file so a failure names the stale one instead of dumping every ABI.
      expect(readFileSync(join(generatedDir, name), 'utf8'), `src/generated/${name} is stale`).toBe(contents);
    }
  }, 120_000);
});
