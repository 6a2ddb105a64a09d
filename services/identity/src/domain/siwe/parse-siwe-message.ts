import { ParsedMessage } from '@spruceid/siwe-parser';
import { type Address, getAddress } from 'viem';
import { SiweError } from './siwe-error.ts';
import type { SiweMessage } from './siwe-message.ts';

/**
 * Bounds on what we are willing to parse. The ABNF parser (apg-js) backtracks and keeps callback
 * state per phrase, so its cost grows with the input; these bounds are checked by plain string
 * scans before it runs, so a hostile 1 MB message costs microseconds, not a blocked event loop.
 */
export const SIWE_LIMITS = {
  /** UTF-8 bytes of the whole message. */
  messageBytes: 16 * 1024,
  statementChars: 1024,
  resources: 50,
  resourceChars: 512,
  nonceMinChars: 8,
  nonceMaxChars: 64,
} as const;

const NONCE_PATTERN = new RegExp(`^[A-Za-z0-9]{${SIWE_LIMITS.nonceMinChars},${SIWE_LIMITS.nonceMaxChars}}$`);

/**
 * Parses an EIP-4361 message with SpruceID's reference ABNF grammar (`@spruceid/siwe-parser`),
 * after enforcing our size limits. It only establishes that the message is well formed and
 * EIP-55 checksummed; whether it is meant for us (domain, uri, chain, time) is `checkSiweFields`'s job.
 *
 * @throws {SiweError} `siwe_malformed` (400).
 */
export function parseSiweMessage(message: string): SiweMessage {
  assertWithinLimits(message);

  let parsed: ParsedMessage;
  try {
    parsed = new ParsedMessage(message);
  } catch (error) {
    throw malformed(firstLine(error), error);
  }

  // Belt and braces: the grammar's callbacks already refuse a non-EIP-55 address today, but
  // accepting a lowercase address must never hinge on a dependency's minor release.
  const address = checksummed(parsed.address);
  if (parsed.version !== '1') throw malformed(`unsupported version ${parsed.version}`);
  if (!Number.isSafeInteger(parsed.chainId) || parsed.chainId < 1) throw malformed('invalid chain id');
  for (const [name, value] of [
    ['issuedAt', parsed.issuedAt],
    ['expirationTime', parsed.expirationTime],
    ['notBefore', parsed.notBefore],
  ] as const) {
    // The grammar checks the shape of a date-time, not that it exists (e.g. February 30th).
    if (value !== undefined && !Number.isFinite(Date.parse(value))) throw malformed(`invalid ${name}`);
  }

  return {
    ...(parsed.scheme === undefined ? {} : { scheme: parsed.scheme }),
    domain: parsed.domain,
    address,
    ...(parsed.statement === undefined ? {} : { statement: parsed.statement }),
    uri: parsed.uri,
    version: '1',
    chainId: parsed.chainId,
    nonce: parsed.nonce,
    issuedAt: parsed.issuedAt,
    ...(parsed.expirationTime === undefined ? {} : { expirationTime: parsed.expirationTime }),
    ...(parsed.notBefore === undefined ? {} : { notBefore: parsed.notBefore }),
    ...(parsed.requestId === undefined ? {} : { requestId: parsed.requestId }),
    ...(parsed.resources === undefined ? {} : { resources: [...parsed.resources] }),
  };
}

/**
 * Checks the limits on the raw text, relying only on EIP-4361's fixed line layout:
 * `header, address, '', [statement], '', 'URI: …', …, ['Resources:', '- …', …]`.
 * Anything this scan misreads is left for the grammar to refuse; it can only reject, never accept.
 */
function assertWithinLimits(message: string): void {
  if (typeof message !== 'string') throw malformed('message must be a string');
  // UTF-16 length ≤ UTF-8 byte length, so this cheap test alone rejects the huge inputs.
  if (
    message.length > SIWE_LIMITS.messageBytes ||
    Buffer.byteLength(message, 'utf8') > SIWE_LIMITS.messageBytes
  ) {
    throw malformed(`message exceeds ${SIWE_LIMITS.messageBytes} bytes`);
  }
  const lines = message.split('\n');

  // Line 4 is the statement when there is one, otherwise empty: never the URI or a later field.
  const statement = lines[3];
  if (statement !== undefined && statement.length > SIWE_LIMITS.statementChars) {
    throw malformed(`statement exceeds ${SIWE_LIMITS.statementChars} characters`);
  }

  // From line 5 on, so that a statement reading "Nonce: …" or "Resources:" cannot confuse the scan.
  const fields = lines.slice(4);
  const nonceLine = fields.find((line) => line.startsWith('Nonce: '));
  if (nonceLine !== undefined && !NONCE_PATTERN.test(nonceLine.slice('Nonce: '.length))) {
    throw malformed(
      `nonce must be ${SIWE_LIMITS.nonceMinChars}–${SIWE_LIMITS.nonceMaxChars} letters or digits`,
    );
  }
  const resourcesAt = fields.indexOf('Resources:');
  if (resourcesAt !== -1) {
    const resources = fields.slice(resourcesAt + 1);
    if (resources.length > SIWE_LIMITS.resources) {
      throw malformed(`more than ${SIWE_LIMITS.resources} resources`);
    }
    if (resources.some((line) => line.length > '- '.length + SIWE_LIMITS.resourceChars)) {
      throw malformed(`a resource exceeds ${SIWE_LIMITS.resourceChars} characters`);
    }
  }
}

function checksummed(address: string): Address {
  try {
    if (getAddress(address) === address) return address as Address;
  } catch {
    // Not even an address: refused below like a bad checksum.
  }
  throw malformed('address must be EIP-55 checksummed');
}

function malformed(reason: string, cause?: unknown): SiweError<'siwe_malformed'> {
  return new SiweError('siwe_malformed', 400, `malformed SIWE message: ${reason}`, { cause });
}

// The parser reports every problem on its own line, followed by a JSON dump of its state.
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0]?.slice(0, 200) || 'does not match the EIP-4361 grammar';
}
