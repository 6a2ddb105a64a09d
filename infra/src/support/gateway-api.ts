export interface GatewayResponse {
  status: number;
  headers: Headers;
  /** The JSON body, `{}` when there is none. */
  json: Record<string, unknown>;
  /** `coterie_session=<token>` when the response set the session cookie. */
  cookie: string | undefined;
}

export type GatewayApi = (
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
  headers?: Record<string, string>,
) => Promise<GatewayResponse>;

/**
 * Calls the gateway's public API as the web app on `appOrigin` does (its `Origin` passes the
 * CSRF check): JSON in, JSON out, the session cookie passed along by hand.
 */
export function gatewayApi(gatewayUrl: string, appOrigin = 'http://localhost:3000'): GatewayApi {
  return async (method, path, body, cookie, headers) => {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: {
        origin: appOrigin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      headers: res.headers,
      json: (await res.json().catch(() => ({}))) as Record<string, unknown>,
      cookie: res.headers.get('set-cookie')?.split(';')[0],
    };
  };
}
