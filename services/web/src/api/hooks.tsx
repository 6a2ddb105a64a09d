import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from './client.ts';

// Last answers by path: a page visited before renders at once while it re-fetches (no spinner).
const cache = new Map<string, unknown>();

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): Promise<void>;
  set(data: T): void;
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({
    code: 'client_error',
    status: 0,
    detail: error instanceof Error ? error.message : String(error),
  });
}

/** GET `path` (null: nothing to fetch yet); re-fetches when `path` changes or `reload()` is called. */
export function useApi<T>(path: string | null, options: { pollMs?: number } = {}): Resource<T> {
  const [data, setData] = useState<T | undefined>(() =>
    path ? (cache.get(path) as T | undefined) : undefined,
  );
  const [error, setError] = useState<ApiError | undefined>();
  const [loading, setLoading] = useState(path !== null);
  const current = useRef(path);
  current.current = path;

  const load = useCallback(async () => {
    if (!path) return;
    setLoading(true);
    try {
      const body = await api.get<T>(path);
      cache.set(path, body);
      if (current.current === path) {
        setData(body);
        setError(undefined);
      }
    } catch (e) {
      if (current.current === path) setError(asApiError(e));
    } finally {
      if (current.current === path) setLoading(false);
    }
  }, [path]);

  useEffect(() => {
    setData(path ? (cache.get(path) as T | undefined) : undefined);
    setError(undefined);
    void load();
  }, [path, load]);

  useEffect(() => {
    if (!options.pollMs || !path) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs, path, load]);

  const set = useCallback(
    (value: T) => {
      if (path) cache.set(path, value);
      setData(value);
    },
    [path],
  );

  return { data, error, loading, reload: load, set };
}

/** For buttons and forms: runs `action`, keeps its error as an ApiError (or any Error). */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await action(...args);
      } catch (e) {
        setError(e instanceof Error ? e : new Error(String(e)));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [action],
  );
  return { run, pending, error, setError };
}

export function clearApiCache(): void {
  cache.clear();
}
