import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { smartWalletAbi } from '@coterie/contracts-abi';
import {
  type DevChainSetup,
  devAccount,
  devChainDefinition,
  devTransport,
  setupDevChain,
} from '@coterie/contracts-abi/dev-chain';
import {
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  parseSignature,
  publicActions,
  serializeCompactSignature,
  signatureToCompactSignature,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiweError, type SiweErrorCode } from './siwe-error.ts';
import { verifySiweSignature } from './verify-siwe-signature.ts';

const TIMEOUT_MS = 2_000;

let dev: DevChainSetup;
let client: PublicClient;

beforeAll(async () => {
  dev = await setupDevChain();
  // cacheTime 0: each verification must see the chain as it is, e.g. right after setOwner.
  client = createPublicClient({
    chain: devChainDefinition(dev.rpcUrl),
    transport: devTransport(dev.rpcUrl),
    cacheTime: 0,
  });
}, 60_000);

afterAll(async () => {
  await dev?.stop();
}, 15_000);

function siweText(address: string): string {
  return [
    'localhost:3000 wants you to sign in with your Ethereum account:',
    address,
    '',
    'Sign in to Coterie',
    '',
    'URI: http://localhost:3000',
    'Version: 1',
    'Chain ID: 31337',
    'Nonce: k3f9a0b1c2d3',
    'Issued At: 2026-03-01T11:59:00.000Z',
  ].join('\n');
}

async function refusal(promise: Promise<unknown>): Promise<SiweError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SiweError);
  return error as SiweError;
}

async function expectRefused(promise: Promise<unknown>, code: SiweErrorCode, status: number): Promise<void> {
  expect(await refusal(promise)).toMatchObject({ code, status });
}

describe('verifySiweSignature: EOA', () => {
  const signer = devAccount(2);
  const message = siweText(signer.address);

  it("accepts the address's own signature", async () => {
    const signature = await signer.signMessage({ message });
    await expect(
      verifySiweSignature(client, { message, address: signer.address, signature }, { timeoutMs: TIMEOUT_MS }),
    ).resolves.toBeUndefined();
  });

  it("refuses another key's signature", async () => {
    const signature = await devAccount(4).signMessage({ message });
    await expectRefused(
      verifySiweSignature(client, { message, address: signer.address, signature }, { timeoutMs: TIMEOUT_MS }),
      'siwe_signature_invalid',
      401,
    );
  });

  it('refuses a signature over another message', async () => {
    const signature = await signer.signMessage({ message: message.replace('k3f9a0b1c2d3', 'k3f9a0b1c2d4') });
    await expectRefused(
      verifySiweSignature(client, { message, address: signer.address, signature }, { timeoutMs: TIMEOUT_MS }),
      'siwe_signature_invalid',
      401,
    );
  });

  it('refuses a 64-byte EIP-2098 compact signature of the right key', async () => {
    const compact = serializeCompactSignature(
      signatureToCompactSignature(parseSignature(await signer.signMessage({ message }))),
    );
    expect((compact.length - 2) / 2).toBe(64);
    await expectRefused(
      verifySiweSignature(
        client,
        { message, address: signer.address, signature: compact },
        { timeoutMs: TIMEOUT_MS },
      ),
      'siwe_signature_invalid',
      401,
    );
  });

  it('refuses signatures that are not hex at all', async () => {
    for (const signature of ['0x', '0x123', 'nope'] as Hex[]) {
      await expectRefused(
        verifySiweSignature(
          client,
          { message, address: signer.address, signature },
          { timeoutMs: TIMEOUT_MS },
        ),
        'siwe_signature_invalid',
        401,
      );
    }
  });
});

// The tests in this block share the wallet's state and run in order: the owner rotates midway.
describe('verifySiweSignature: ERC-1271 SmartWallet', () => {
  const oldOwner = devAccount(1);
  const newOwner = devAccount(3);
  let wallet: `0x${string}`;
  let message: string;

  beforeAll(() => {
    wallet = dev.contracts.SmartWallet;
    message = siweText(wallet);
  });

  const verify = (signature: Hex) =>
    verifySiweSignature(client, { message, address: wallet, signature }, { timeoutMs: TIMEOUT_MS });

  it("accepts its owner's (account #1) signature", async () => {
    await expect(verify(await oldOwner.signMessage({ message }))).resolves.toBeUndefined();
  });

  it("refuses a non-owner's signature", async () => {
    await expectRefused(verify(await newOwner.signMessage({ message })), 'siwe_signature_invalid', 401);
  });

  it("after setOwner, refuses the old owner's signature and accepts the new owner's", async () => {
    const oldSignature = await oldOwner.signMessage({ message });
    const owner = createWalletClient({
      account: oldOwner,
      chain: devChainDefinition(dev.rpcUrl),
      transport: devTransport(dev.rpcUrl),
      pollingInterval: 50,
    }).extend(publicActions);
    const hash = await owner.writeContract({
      address: wallet,
      abi: smartWalletAbi,
      functionName: 'setOwner',
      args: [newOwner.address],
    });
    expect((await owner.waitForTransactionReceipt({ hash })).status).toBe('success');

    await expectRefused(verify(oldSignature), 'siwe_signature_invalid', 401);
    await expect(verify(await newOwner.signMessage({ message }))).resolves.toBeUndefined();
  });
});

describe('verifySiweSignature: RPC unavailable', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let silentPort: number;
  let closedPort: number;

  beforeAll(async () => {
    // A port that was free a moment ago and is now closed: connections are refused.
    closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    // A node that accepts connections and never answers.
    silent = createServer((socket) => sockets.add(socket));
    silentPort = await new Promise<number>((resolve) => {
      silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port));
    });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  function clientAt(port: number): PublicClient {
    const rpcUrl = `http://127.0.0.1:${port}`;
    // The transport's own timeout is long, so only verifySiweSignature's timeout can end the wait.
    return createPublicClient({
      chain: devChainDefinition(rpcUrl),
      transport: http(rpcUrl, { retryCount: 0, timeout: 30_000 }),
    });
  }

  it('reports an unreachable node as unavailable, not as a bad signature', async () => {
    const wallet = dev.contracts.SmartWallet;
    const message = siweText(wallet);
    const signature = await devAccount(3).signMessage({ message });
    const started = performance.now();
    const error = await refusal(
      verifySiweSignature(
        clientAt(closedPort),
        { message, address: wallet, signature },
        { timeoutMs: TIMEOUT_MS },
      ),
    );
    expect(error).toMatchObject({ code: 'siwe_verification_unavailable', status: 503 });
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS);
  });

  it("also when the signature is an EOA's wrong signature (ecrecover alone cannot decide)", async () => {
    const signer = devAccount(2);
    const message = siweText(signer.address);
    const signature = await devAccount(4).signMessage({ message });
    await expectRefused(
      verifySiweSignature(
        clientAt(closedPort),
        { message, address: signer.address, signature },
        { timeoutMs: TIMEOUT_MS },
      ),
      'siwe_verification_unavailable',
      503,
    );
  });

  it('gives up on a node that never answers after timeoutMs', async () => {
    const wallet = dev.contracts.SmartWallet;
    const message = siweText(wallet);
    const signature = await devAccount(3).signMessage({ message });
    const started = performance.now();
    const error = await refusal(
      verifySiweSignature(clientAt(silentPort), { message, address: wallet, signature }, { timeoutMs: 300 }),
    );
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: 'siwe_verification_unavailable', status: 503 });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_000);
  });
});
