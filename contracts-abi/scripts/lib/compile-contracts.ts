import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ContractName } from './contracts.ts';
import { contractNames } from './contracts.ts';
import { contractsDir, packageRoot } from './paths.ts';

export type AbiItem = Record<string, unknown>;

export type CompiledContract = {
  name: ContractName;
  abi: AbiItem[];
  bytecode: `0x${string}`;
  deployedBytecode: `0x${string}`;
};

export type CompileResult = {
  solcVersion: string;
  contracts: CompiledContract[];
  warnings: string[];
};

type SolcError = { severity: 'error' | 'warning' | 'info'; formattedMessage: string };
type SolcOutput = {
  errors?: SolcError[];
  contracts?: Record<
    string,
    Record<
      string,
      { abi: AbiItem[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }
    >
  >;
};

/**
 * Hardhat 2.29 defaults to the Osaka hardfork, which runs any earlier target; Cancun keeps the
 * bytecode deployable on the public chains Coterie may point at later.
 */
export const EVM_VERSION = 'cancun';
export const OPTIMIZER_RUNS = 200;

const requireFromPackage = createRequire(join(packageRoot, 'package.json'));

// Resolved through the package's own node_modules so the build uses exactly the pinned
// @openzeppelin/contracts, wherever pnpm placed it.
function resolveImport(importPath: string): { contents: string } | { error: string } {
  const segments = importPath.split('/');
  const packageName = importPath.startsWith('@') ? segments.slice(0, 2).join('/') : segments[0]!;
  const rest = importPath.slice(packageName.length + 1);
  try {
    const packageDir = dirname(requireFromPackage.resolve(`${packageName}/package.json`));
    return { contents: readFileSync(join(packageDir, rest), 'utf8') };
  } catch (error) {
    return { error: `cannot resolve ${importPath}: ${(error as Error).message}` };
  }
}

function sourceUnitName(name: ContractName): string {
  return `contracts/${name}.sol`;
}

/** Compiles every contract in `contracts/` with solc-js and returns ABIs and bytecode. */
export async function compileContracts(): Promise<CompileResult> {
  // Loading soljson costs seconds, so it is deferred until a compile is actually requested.
  const { default: solc } = await import('solc');

  const sources: Record<string, { content: string }> = {};
  const outputSelection: Record<string, Record<string, string[]>> = {};
  for (const name of contractNames) {
    sources[sourceUnitName(name)] = { content: readFileSync(join(contractsDir, `${name}.sol`), 'utf8') };
    outputSelection[sourceUnitName(name)] = {
      [name]: ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'],
    };
  }

  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: OPTIMIZER_RUNS },
      evmVersion: EVM_VERSION,
      outputSelection,
    },
  };

  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: resolveImport })) as SolcOutput;
  const diagnostics = output.errors ?? [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  }

  const contracts = contractNames.map((name): CompiledContract => {
    const artifact = output.contracts?.[sourceUnitName(name)]?.[name];
    if (!artifact) throw new Error(`solc produced no output for ${name}`);
    return {
      name,
      abi: artifact.abi,
      bytecode: `0x${artifact.evm.bytecode.object}`,
      deployedBytecode: `0x${artifact.evm.deployedBytecode.object}`,
    };
  });

  return {
    solcVersion: solc.version(),
    contracts,
    warnings: diagnostics.filter((d) => d.severity === 'warning').map((d) => d.formattedMessage),
  };
}
