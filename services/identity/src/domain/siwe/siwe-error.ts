import { AppError } from '@coterie/contracts';

/**
 * The HTTP status of every SIWE error code. The codes are API.md's (Identity,
 * `POST /v1/auth/siwe/verify`) plus `siwe_verification_unavailable`: a signature we could not
 * check because the chain's RPC failed or timed out. It is a 503 rather than a 401 so that a
 * client (and our alerts) can tell "the node is down, retry" from "this signature is wrong";
 * both refuse the sign-in.
 */
export const SIWE_ERROR_STATUS = {
  siwe_malformed: 400,
  siwe_nonce_invalid: 401,
  siwe_domain_mismatch: 401,
  siwe_uri_mismatch: 401,
  siwe_chain_unsupported: 401,
  siwe_expired: 401,
  siwe_not_yet_valid: 401,
  siwe_signature_invalid: 401,
  siwe_verification_unavailable: 503,
} as const;

export type SiweErrorCode = keyof typeof SIWE_ERROR_STATUS;

export type SiweErrorOptions = { cause?: unknown; details?: unknown };

/** A refused SIWE sign-in. The status is typed by the code so the two can never disagree. */
export class SiweError<C extends SiweErrorCode = SiweErrorCode> extends AppError {
  declare readonly code: C;

  constructor(
    code: C,
    status: (typeof SIWE_ERROR_STATUS)[C],
    message: string,
    options: SiweErrorOptions = {},
  ) {
    super(code, status, message, options.details);
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
