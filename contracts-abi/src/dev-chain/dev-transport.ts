import type { HttpTransport, HttpTransportConfig } from 'viem';
import { http } from 'viem';

/**
 * viem's `http` transport for a dev chain. Hardhat 2 reports reverts as JSON-RPC -32603
 * ("internal error"), which viem retries with backoff, so every expected revert would cost ~1 s;
 * retries are off unless `config` turns them back on.
 */
export function devTransport(rpcUrl: string, config: HttpTransportConfig = {}): HttpTransport {
  return http(rpcUrl, { retryCount: 0, ...config });
}
