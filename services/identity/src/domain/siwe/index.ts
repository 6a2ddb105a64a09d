export { type CheckSiweFieldsParameters, checkSiweFields } from './check-siwe-fields.ts';
export { parseSiweMessage, SIWE_LIMITS } from './parse-siwe-message.ts';
export { SIWE_ERROR_STATUS, SiweError, type SiweErrorCode, type SiweErrorOptions } from './siwe-error.ts';
export type { SiweMessage } from './siwe-message.ts';
export {
  type VerifySiweSignatureOptions,
  type VerifySiweSignatureParameters,
  verifySiweSignature,
} from './verify-siwe-signature.ts';
