import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * An HTTP proxy in front of a JSON-RPC node, for tests: services pointed at `url` (through
 * `CHAINS`) reach the real dev chain until a test breaks it.
 * - `hang`: every request is accepted and never answered (a node that stalls: the worst case for
 *   a caller, which must give up on its own deadline).
 * - `blindLogs`: `eth_getLogs` answers `[]` (a node whose log index lags behind its head; the
 *   caller cannot tell this from "no transfers").
 */
export interface ChainRpcProxy {
  readonly url: string;
  hang: boolean;
  blindLogs: boolean;
  /** Requests answered or held, by JSON-RPC method (a batch counts each call). */
  readonly calls: Map<string, number>;
  /** Requests held unanswered right now. */
  readonly held: number;
  close(): Promise<void>;
}

interface RpcCall {
  id?: unknown;
  method?: string;
}

export async function startChainRpcProxy(targetUrl: string): Promise<ChainRpcProxy> {
  const calls = new Map<string, number>();
  const heldResponses = new Set<ServerResponse>();
  const state = { hang: false, blindLogs: false };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    let parsed: RpcCall | RpcCall[] | undefined;
    try {
      parsed = JSON.parse(body) as RpcCall | RpcCall[];
    } catch {
      parsed = undefined;
    }
    const list = Array.isArray(parsed) ? parsed : parsed ? [parsed] : [];
    for (const call of list) calls.set(String(call.method), (calls.get(String(call.method)) ?? 0) + 1);
    if (state.hang) {
      heldResponses.add(res);
      res.on('close', () => heldResponses.delete(res));
      return;
    }
    if (state.blindLogs && list.some((c) => c.method === 'eth_getLogs')) {
      if (!Array.isArray(parsed) && parsed) {
        return reply(res, 200, JSON.stringify({ jsonrpc: '2.0', id: parsed.id, result: [] }));
      }
      // A batch: forward the rest, blank the logs.
      const upstream = await forward(JSON.stringify(list.filter((c) => c.method !== 'eth_getLogs')));
      const answers = JSON.parse(upstream.body) as RpcCall[];
      const merged = list.map((c) =>
        c.method === 'eth_getLogs'
          ? { jsonrpc: '2.0', id: c.id, result: [] }
          : answers.find((a) => a.id === c.id),
      );
      return reply(res, 200, JSON.stringify(merged));
    }
    const upstream = await forward(body);
    reply(res, upstream.status, upstream.body);
  }

  async function forward(body: string): Promise<{ status: number; body: string }> {
    const response = await fetch(targetUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => reply(res, 502, JSON.stringify({ error: error.message })));
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    }),
  );

  return {
    url: `http://127.0.0.1:${port}`,
    get hang() {
      return state.hang;
    },
    set hang(value: boolean) {
      state.hang = value;
    },
    get blindLogs() {
      return state.blindLogs;
    },
    set blindLogs(value: boolean) {
      state.blindLogs = value;
    },
    calls,
    get held() {
      return heldResponses.size;
    },
    async close() {
      for (const res of heldResponses) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
