import type { App } from '@coterie/gateway';

/** What a test reads from a gateway answer. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** `null` leaves a default header (e.g. `origin`) out. */
  headers?: Record<string, string | null>;
}

export interface Browser {
  request(options: RequestOptions): Promise<HttpResponse>;
  get(url: string, headers?: RequestOptions['headers']): Promise<HttpResponse>;
  post(url: string, body?: unknown, headers?: RequestOptions['headers']): Promise<HttpResponse>;
  patch(url: string, body?: unknown, headers?: RequestOptions['headers']): Promise<HttpResponse>;
  /** The `coterie_session` value the browser holds, if any. */
  readonly session: string | undefined;
  /** Replace (or drop) the held session, e.g. to replay a stolen cookie. */
  setSession(token: string | undefined): void;
}

export interface BrowserOptions {
  /** Sent as `Origin` on state-changing requests, as a browser on the app's page does. */
  origin: string;
  /** The client IP the gateway sees (rate limits are per IP). */
  remoteAddress?: string;
}

const SESSION_COOKIE = 'coterie_session';

/** The `Set-Cookie` lines of a response. */
export function setCookies(response: HttpResponse): string[] {
  const value = response.headers['set-cookie'];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}

/**
 * A cookie-keeping client of one gateway app, through `fastify.inject()` (no socket): it stores
 * `coterie_session` from `Set-Cookie` (dropping it on `Max-Age=0`) and sends it back, like a browser.
 */
export function createBrowser(app: App, options: BrowserOptions): Browser {
  let session: string | undefined;

  async function request({ method, url, body, headers = {} }: RequestOptions): Promise<HttpResponse> {
    const merged: Record<string, string | null> = {
      ...(method === 'GET' ? {} : { origin: options.origin }),
      ...(session === undefined ? {} : { cookie: `${SESSION_COOKIE}=${session}` }),
      ...headers,
    };
    const sent = Object.fromEntries(
      Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null),
    );
    const response = await app.fastify.inject({
      method,
      url,
      headers: sent,
      ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    const result: HttpResponse = {
      statusCode: response.statusCode,
      headers: response.headers,
      body: response.body,
      json: <T>() => JSON.parse(response.body) as T,
    };
    for (const line of setCookies(result)) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const [name, ...rest] = pair.split('=');
      if (name !== SESSION_COOKIE) continue;
      const value = rest.join('=');
      const cleared = attributes.some((a) => /^max-age=0$/i.test(a)) || value === '';
      session = cleared ? undefined : value;
    }
    return result;
  }

  return {
    request,
    get: (url, headers) => request({ method: 'GET', url, ...(headers ? { headers } : {}) }),
    post: (url, body, headers) => request({ method: 'POST', url, body, ...(headers ? { headers } : {}) }),
    patch: (url, body, headers) => request({ method: 'PATCH', url, body, ...(headers ? { headers } : {}) }),
    get session() {
      return session;
    },
    setSession(token) {
      session = token;
    },
  };
}
