import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileContracts } from './lib/compile-contracts.ts';
import { generatedDir, packageRoot } from './lib/paths.ts';
import { renderGeneratedFiles } from './lib/render-generated-files.ts';

const started = performance.now();
const result = await compileContracts();
const compileMs = performance.now() - started;

// Multicall3 is kept verbatim from the canonical source, deprecation warnings included
// (`block.difficulty`); reporting them on every build would only train people to ignore warnings.
const ownWarnings = result.warnings.filter((warning) => !warning.includes('contracts/Multicall3.sol'));
for (const warning of ownWarnings) console.warn(warning);

const files = renderGeneratedFiles(result);
mkdirSync(generatedDir, { recursive: true });
// Drop files of contracts that no longer exist so the barrel and the folder never disagree.
for (const existing of readdirSync(generatedDir)) {
  if (!files.has(existing)) rmSync(join(generatedDir, existing));
}
for (const [name, contents] of files) writeFileSync(join(generatedDir, name), contents);

console.log(
  `compiled ${result.contracts.length} contracts with solc ${result.solcVersion} in ${Math.round(compileMs)} ms` +
    ` → ${relative(packageRoot, generatedDir)}/ (${files.size} files)`,
);
