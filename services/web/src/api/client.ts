import type { Problem } from './types.ts';

/** Every failed call, as a typed value the UI can branch on (`code` is API.md's stable code). */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: string;

  constructor(problem: Problem) {
    super(problem.detail || problem.code);
    this.name = 'ApiError';
    this.code = problem.code;
    this.status = problem.status;
    this.detail = problem.detail;
  }

  /** The route is not there (yet): the service behind it has not landed on this server. */
  get routeMissing(): boolean {
    return (
      (this.status === 404 && this.code === 'not_found' && this.detail.startsWith('no route')) ||
      this.status === 405
    );
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /** Extra request headers, e.g. `idempotency-key`. */
  headers?: Record<string, string>;
}

/** `fetch` as the client sees it; tests may pass their own. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

const STATE_CHANGING = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function toProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      if (typeof body.code === 'string') {
        return {
          ...body,
          code: body.code,
          status: typeof body.status === 'number' ? body.status : response.status,
          detail: typeof body.detail === 'string' ? body.detail : (body.title ?? response.statusText),
        };
      }
    } catch {
      // Not the JSON it claimed to be: fall through to a problem made from the status.
    }
  }
  return {
    code: response.status === 404 ? 'not_found' : `http_${response.status}`,
    status: response.status,
    detail: response.statusText || `HTTP ${response.status}`,
  };
}

/**
 * Calls the gateway: same-origin cookie session (`credentials: 'include'`), the CSRF header on
 * state-changing requests, JSON in and out, problem+json errors thrown as `ApiError`.
 */
export async function request<T>(
  method: Method,
  path: string,
  options: RequestOptions = {},
  fetchImpl: Fetch = (input, init) => fetch(input, init),
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (STATE_CHANGING.has(method)) headers['x-coterie-csrf'] = '1';
  const init: RequestInit = { method, headers, credentials: 'include' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetchImpl(withQuery(path, options.query), init);
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new ApiError({ code: 'network_error', status: 0, detail: 'Cannot reach the Coterie server.' });
  }
  if (!response.ok) throw new ApiError(await toProblem(response));
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await response.text()) as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
};
