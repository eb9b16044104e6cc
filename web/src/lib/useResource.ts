import { useCallback, useEffect, useRef, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  /** True until the first answer for this key (reloads keep showing the old data). */
  loading: boolean;
  reload: () => void;
  /** Update the shown data after a change the server confirmed. */
  mutate: (update: (current: T | undefined) => T | undefined) => void;
}

interface State<T> {
  key: string;
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * Loads data for a page. `key` names what is loaded (e.g. the org id): a new key starts from a
 * loading state, a reload keeps the old data on screen so lists don't flash empty after an action.
 */
export function useResource<T>(key: string, load: () => Promise<T>): Resource<T> {
  const [state, setState] = useState<State<T>>({ key, data: undefined, error: undefined, loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let current = true;
    setState((s) => (s.key === key ? { ...s, error: undefined } : { key, data: undefined, error: undefined, loading: true }));
    loadRef.current().then(
      (data) => current && setState({ key, data, error: undefined, loading: false }),
      (reason: unknown) => {
        if (!current) return;
        const error = reason instanceof Error ? reason : new Error(String(reason));
        setState((s) => ({ ...s, key, error, loading: false }));
      },
    );
    return () => {
      current = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const mutate = useCallback(
    (update: (current: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: update(s.data) })),
    [],
  );
  const fresh = state.key === key;
  return {
    data: fresh ? state.data : undefined,
    error: fresh ? state.error : undefined,
    loading: fresh ? state.loading : true,
    reload,
    mutate,
  };
}
