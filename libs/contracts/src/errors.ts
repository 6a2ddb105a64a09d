import { z } from 'zod';

/**
 * The body of an RPC error reply. `status` is the HTTP status the gateway should use;
 * `code` is the stable machine code of API.md (e.g. `siwe_nonce_invalid`).
 */
export const rpcErrorBodySchema = z.object({
  code: z.string(),
  status: z.number().int().min(400).max(599),
  message: z.string(),
  details: z.unknown().optional(),
});
export type RpcErrorBody = z.infer<typeof rpcErrorBodySchema>;

/**
 * An expected failure with a stable `code` (API.md) and the HTTP status the gateway
 * should answer with. Services throw subclasses; RPC carries code/status/message across.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(code: string, status: number, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
  }

  toBody(): RpcErrorBody {
    return {
      code: this.code,
      status: this.status,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/**
 * A list's `cursor` that the service did not issue (or can no longer read). Answered with 400
 * rather than a first page: a client that kept paging from the start would loop or repeat items.
 */
export class InvalidCursorError extends AppError {
  constructor() {
    super('invalid_cursor', 400, 'cursor is not one this service issued');
  }
}
