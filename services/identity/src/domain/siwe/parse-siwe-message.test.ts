import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { parseSiweMessage, SIWE_LIMITS } from './parse-siwe-message.ts';
import { SiweError } from './siwe-error.ts';

// SpruceID's conformance vectors, vendored under test/data/siwe (see its README.md).
function vectors<T>(file: string): Record<string, T> {
  return JSON.parse(readFileSync(new URL(`../../../test/data/siwe/${file}`, import.meta.url), 'utf8'));
}

type PositiveVector = { message: string; fields: Record<string, unknown> };
type MessageObject = Record<string, unknown>;

const positive = vectors<PositiveVector>('parsing_positive.json');
const negative = vectors<string>('parsing_negative.json');
const negativeObjects = vectors<MessageObject>('parsing_negative_objects.json');

const valid = [
  'localhost:3000 wants you to sign in with your Ethereum account:',
  '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
  '',
  'Sign in to Coterie',
  '',
  'URI: http://localhost:3000/login',
  'Version: 1',
  'Chain ID: 31337',
  'Nonce: 32891757abc',
  'Issued At: 2026-01-01T00:00:00.000Z',
].join('\n');

function withResources(message: string, resources: string[]): string {
  return [message, 'Resources:', ...resources.map((r) => `- ${r}`)].join('\n');
}

function expectMalformed(run: () => unknown): SiweError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SiweError);
    expect(error).toMatchObject({ code: 'siwe_malformed', status: 400 });
    return error as SiweError;
  }
  throw new Error('expected siwe_malformed, but the message parsed');
}

/** EIP-4361 text for a message object, laid out as `siwe`'s `toMessage()` does, without its checks. */
function toMessageText(o: MessageObject): string {
  const text = (value: unknown) => (value === undefined ? '' : String(value));
  const lines = [`${text(o.domain)} wants you to sign in with your Ethereum account:`, text(o.address), ''];
  if (o.statement !== undefined) lines.push(text(o.statement));
  lines.push('', `URI: ${text(o.uri)}`, `Version: ${text(o.version)}`, `Chain ID: ${text(o.chainId)}`);
  lines.push(`Nonce: ${text(o.nonce)}`, `Issued At: ${text(o.issuedAt)}`);
  if (o.expirationTime !== undefined) lines.push(`Expiration Time: ${text(o.expirationTime)}`);
  if (o.notBefore !== undefined) lines.push(`Not Before: ${text(o.notBefore)}`);
  if (o.requestId !== undefined) lines.push(`Request ID: ${text(o.requestId)}`);
  if (Array.isArray(o.resources)) lines.push('Resources:', ...o.resources.map((r) => `- ${text(r)}`));
  return lines.join('\n');
}

describe('parseSiweMessage: SpruceID vectors', () => {
  it('has the vectors', () => {
    expect(Object.keys(positive)).toHaveLength(19);
    expect(Object.keys(negative)).toHaveLength(29);
    expect(Object.keys(negativeObjects)).toHaveLength(18);
  });

  it.each(Object.entries(positive))('parses %s', (_name, { message, fields }) => {
    const parsed = parseSiweMessage(message);
    // The vectors spell an absent scheme as null; we leave absent fields out.
    const expected = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
    expect(parsed).toEqual(expected);
  });

  it.each(Object.entries(negative))('rejects %s', (_name, message) => {
    expectMalformed(() => parseSiweMessage(message));
  });

  it.each(Object.entries(negativeObjects))('rejects the object %s once serialised', (_name, object) => {
    expectMalformed(() => parseSiweMessage(toMessageText(object)));
  });

  it('serialises message objects the way the positive vectors are written', () => {
    const { message, fields } = positive['couple of optional fields']!;
    expect(toMessageText(fields)).toBe(message);
  });
});

describe('parseSiweMessage: our rules', () => {
  it('parses a message of our own', () => {
    expect(parseSiweMessage(valid)).toEqual({
      domain: 'localhost:3000',
      address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
      statement: 'Sign in to Coterie',
      uri: 'http://localhost:3000/login',
      version: '1',
      chainId: 31337,
      nonce: '32891757abc',
      issuedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('refuses a lowercase (non EIP-55) address', () => {
    const lower = valid.replace(
      '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
      '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2',
    );
    expectMalformed(() => parseSiweMessage(lower));
  });

  it('refuses a date-time that has the right shape but does not exist', () => {
    expectMalformed(() => parseSiweMessage(valid.replace('2026-01-01', '2026-02-31')));
  });

  it('accepts limits exactly and refuses one past them', () => {
    const statementAt = (n: number) => valid.replace('Sign in to Coterie', 'a'.repeat(n));
    expect(parseSiweMessage(statementAt(SIWE_LIMITS.statementChars)).statement).toHaveLength(1024);
    expectMalformed(() => parseSiweMessage(statementAt(SIWE_LIMITS.statementChars + 1)));

    const resources = (n: number, length = 20) =>
      Array.from({ length: n }, (_, i) => `https://example.com/${String(i).padStart(length - 20, '0')}`);
    expect(parseSiweMessage(withResources(valid, resources(50))).resources).toHaveLength(50);
    expectMalformed(() => parseSiweMessage(withResources(valid, resources(51))));
    expect(parseSiweMessage(withResources(valid, resources(1, 512))).resources?.[0]).toHaveLength(512);
    expectMalformed(() => parseSiweMessage(withResources(valid, resources(1, 513))));

    const nonce = (value: string) => valid.replace('Nonce: 32891757abc', `Nonce: ${value}`);
    expect(parseSiweMessage(nonce('a'.repeat(64))).nonce).toHaveLength(64);
    expect(parseSiweMessage(nonce('Ab345678')).nonce).toBe('Ab345678');
    expectMalformed(() => parseSiweMessage(nonce('a'.repeat(65))));
    expectMalformed(() => parseSiweMessage(nonce('a'.repeat(7))));
    expectMalformed(() => parseSiweMessage(nonce('abcd-efgh')));
  });

  it('is not fooled by a statement that looks like a later field', () => {
    const tricky = valid.replace('Sign in to Coterie', 'Resources:');
    expect(parseSiweMessage(tricky).statement).toBe('Resources:');
  });

  it('refuses a message over 16 KiB even when each field is within its limit', () => {
    const padded = valid.replace(
      'URI: http://localhost:3000/login',
      `URI: http://localhost:3000/${'a'.repeat(16_400)}`,
    );
    expectMalformed(() => parseSiweMessage(padded));
  });

  it('counts bytes, not characters, against the 16 KiB limit', () => {
    // 6,000 three-byte characters: 6,000 UTF-16 units but 18,000 UTF-8 bytes.
    expect(expectMalformed(() => parseSiweMessage(`${valid}${'€'.repeat(6_000)}`)).message).toMatch(/bytes/);
  });

  it('fails fast on a 1 MB statement and on 10,000 resources', () => {
    const huge = [
      valid.replace('Sign in to Coterie', 'a'.repeat(1024 * 1024)),
      withResources(valid, resources10k()),
    ];
    for (const message of huge) {
      const started = performance.now();
      expectMalformed(() => parseSiweMessage(message));
      expect(performance.now() - started).toBeLessThan(50);
    }
  });

  it('refuses non-strings from untyped callers', () => {
    expectMalformed(() => parseSiweMessage(undefined as unknown as string));
  });
});

function resources10k(): string[] {
  return Array.from({ length: 10_000 }, (_, i) => `https://example.com/${i}`);
}
