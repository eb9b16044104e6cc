import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Me, accountsApi } from '../api/accounts.ts';
import { ApiError } from '../api/client.ts';
import { onSessionLost } from '../api/http.ts';
import { FullPageError, FullPageLoading } from '../shell/FullPage.tsx';

export interface Session {
  /** True until the first organization and owner exist. */
  setupNeeded: boolean;
  me: Me | null;
  /** Set when a request found the session gone (expired, or signed out elsewhere). */
  expired: boolean;
  signedIn: (me: Me) => void;
  setupFinished: (me: Me) => void;
  signOut: () => Promise<void>;
  /** Re-reads /api/me (after leaving an organization, for instance). */
  refresh: () => Promise<Me | null>;
}

const SessionContext = createContext<Session | null>(null);

async function loadMe(): Promise<Me | null> {
  try {
    return await accountsApi.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null; // not signed in: a normal state
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ setupNeeded: boolean; me: Me | null; expired: boolean } | null>(null);
  const [bootError, setBootError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setBootError(null);
    Promise.all([accountsApi.setupStatus(), loadMe()]).then(
      ([setup, me]) => current && setState({ setupNeeded: setup.needed, me, expired: false }),
      (error: unknown) => current && setBootError(error instanceof Error ? error : new Error(String(error))),
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  useEffect(() => {
    const stopListening = onSessionLost(() => setState((s) => (s && s.me ? { ...s, me: null, expired: true } : s)));
    return () => {
      stopListening();
    };
  }, []);

  const signedIn = useCallback((me: Me) => setState((s) => ({ setupNeeded: s?.setupNeeded ?? false, me, expired: false })), []);
  const setupFinished = useCallback((me: Me) => setState({ setupNeeded: false, me, expired: false }), []);
  const signOut = useCallback(async () => {
    try {
      await accountsApi.logout();
    } catch (error) {
      // Already signed out (expired, or logged out in another tab): the outcome the person wanted.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setState((s) => ({ setupNeeded: s?.setupNeeded ?? false, me: null, expired: false }));
  }, []);
  const refresh = useCallback(async () => {
    const me = await loadMe();
    setState((s) => ({ setupNeeded: s?.setupNeeded ?? false, me, expired: me === null && (s?.me ?? null) !== null }));
    return me;
  }, []);

  const session = useMemo<Session | null>(
    () => (state ? { ...state, signedIn, setupFinished, signOut, refresh } : null),
    [state, signedIn, setupFinished, signOut, refresh],
  );

  if (bootError) {
    return <FullPageError message={bootError.message} onRetry={() => setAttempt((a) => a + 1)} />;
  }
  if (!session) return <FullPageLoading />;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

/** The signed-in person; only for pages behind <RequireAuth>. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe is only for signed-in pages');
  return me;
}
