let nextId = 1;

/** One raw JSON-RPC call; throws with the node's error message rather than returning it. */
export async function rpcRequest<T = unknown>(
  rpcUrl: string,
  method: string,
  params: readonly unknown[] = [],
  timeoutMs = 10_000,
): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`${method} failed: HTTP ${response.status} from ${rpcUrl}`);
  const body = (await response.json()) as { result?: T; error?: { code: number; message: string } };
  if (body.error) throw new Error(`${method} failed: ${body.error.message} (code ${body.error.code})`);
  return body.result as T;
}
