import { type ApiError, createApiClient, readBrowserCookie } from './client.ts';

type SessionLostListener = (error: ApiError) => void;
const sessionLostListeners = new Set<SessionLostListener>();

/** The browser's client: same-origin fetch, and session-loss news for whoever shows the login page. */
export const http = createApiClient({
  fetch: (input, init) => window.fetch(input, init),
  readCookie: readBrowserCookie,
  onUnauthenticated: (error) => {
    for (const listener of sessionLostListeners) listener(error);
  },
});

export function onSessionLost(listener: SessionLostListener): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}
