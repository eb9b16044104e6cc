import { useCallback, useMemo } from 'react';
import { useLocation, useSearch } from 'wouter';
import { type DateRange, readRange, withRange } from './dateRange.ts';

/**
 * The page's date range, read from the URL, and a setter that writes it back (a new history entry,
 * so Back returns to the range before). Every dashboard page uses this one, so the range follows
 * the person from page to page through the navigation's links.
 */
export function useDateRange(): [DateRange, (next: DateRange) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const range = useMemo(() => readRange(search), [search]);
  const setRange = useCallback((next: DateRange) => navigate(`${location}${withRange(search, next)}`), [location, search, navigate]);
  return [range, setRange];
}

/** Updates one query parameter of the current page (a table's search, an app's activity window). */
export function useQueryParam(name: string, fallback: string): [string, (value: string) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const value = new URLSearchParams(search).get(name) ?? fallback;
  const setValue = useCallback(
    (next: string) => {
      const params = new URLSearchParams(search);
      if (next === fallback) params.delete(name);
      else params.set(name, next);
      const query = params.toString();
      // Replace: changing a view setting should not fill the Back button's history.
      navigate(`${location}${query ? `?${query}` : ''}`, { replace: true });
    },
    [name, fallback, location, search, navigate],
  );
  return [value, setValue];
}
