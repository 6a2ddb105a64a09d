import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api } from './api/client.ts';
import { clearApiCache } from './api/hooks.tsx';
import type { Me, PublicConfig } from './api/types.ts';
import { rememberTokenInfo } from './holdings.tsx';

export interface Session {
  config: PublicConfig | undefined;
  configError: ApiError | undefined;
  /** undefined while loading; null when signed out. */
  me: Me | null | undefined;
  reloadMe(): Promise<Me | null>;
  signOut(everywhere?: boolean): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

const FALLBACK_CONFIG: PublicConfig = {
  appDomain: location.host,
  appOrigin: location.origin,
  chains: [],
  stripe: { enabled: false },
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<PublicConfig | undefined>();
  const [configError, setConfigError] = useState<ApiError | undefined>();
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const reloadMe = useCallback(async () => {
    try {
      const body = await api.get<Me>('/v1/me');
      setMe(body);
      return body;
    } catch (error) {
      // 401: signed out. 404: identity routes not there yet. Either way: nobody is signed in.
      if (!(error instanceof ApiError) || error.status >= 500 || error.status === 0) {
        console.warn('could not load /v1/me', error);
      }
      setMe(null);
      return null;
    }
  }, []);

  useEffect(() => {
    api
      .get<PublicConfig>('/v1/config')
      .then((loaded) => {
        const demo = loaded.demo?.contracts;
        if (demo) {
          rememberTokenInfo(31337, demo.CommunityToken, { symbol: 'CTR', decimals: 18 });
          rememberTokenInfo(31337, demo.MembershipPass, { symbol: 'CPASS' });
          rememberTokenInfo(31337, demo.MemberBadge, { symbol: 'BADGE' });
        }
        setConfig(loaded);
      })
      .catch((error: ApiError) => {
        setConfigError(error);
        setConfig(FALLBACK_CONFIG);
      });
    void reloadMe();
  }, [reloadMe]);

  const signOut = useCallback(async (everywhere = false) => {
    await api.post(everywhere ? '/v1/auth/logout-all' : '/v1/auth/logout');
    clearApiCache();
    setMe(null);
  }, []);

  const value = useMemo(
    () => ({ config, configError, me, reloadMe, signOut }),
    [config, configError, me, reloadMe, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
