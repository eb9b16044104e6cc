import { useEffect, useRef, useState } from 'react';
import { analyticsApi } from '../../api/analytics.ts';
import { Sparkline } from '../../charts/Sparkline.tsx';
import { formatPercent } from '../../ui/numbers.ts';

// Daily CPU per droplet comes from one request per resource (the list has only averages), so a row asks
// for its series when it scrolls into view, at most a few at a time, and remembers the answer.
const cache = new Map<string, Promise<(number | null)[]>>();
const MAX_IN_FLIGHT = 4;
let inFlight = 0;
const waiting: Array<() => void> = [];

function limited<T>(task: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const start = () => {
      inFlight++;
      task()
        .then(resolve, reject)
        .finally(() => {
          inFlight--;
          waiting.shift()?.();
        });
    };
    if (inFlight < MAX_IN_FLIGHT) start();
    else waiting.push(start);
  });
}

function dailyCpu(orgId: string, resourceId: string): Promise<(number | null)[]> {
  const key = `${orgId}:${resourceId}`;
  let series = cache.get(key);
  if (!series) {
    series = limited(() => analyticsApi.resource(orgId, resourceId, { days: '14' })).then((d) => d.daily.map((day) => day.cpuAvg));
    // A failure is not remembered, so the next view of the row tries again.
    series.catch(() => cache.delete(key));
    cache.set(key, series);
  }
  return series;
}

/** A droplet's daily CPU over 14 days as a sparkline, loaded once the row is on screen. */
export function ResourceSparkline({ orgId, resourceId, name }: { orgId: string; resourceId: string; name: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const [values, setValues] = useState<(number | null)[] | null | 'failed'>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let active = true;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      dailyCpu(orgId, resourceId).then(
        (v) => active && setValues(v),
        () => active && setValues('failed'),
      );
    });
    observer.observe(element);
    return () => {
      active = false;
      observer.disconnect();
    };
  }, [orgId, resourceId]);

  const numbers = Array.isArray(values) ? values.filter((v): v is number => v !== null) : [];
  const label =
    values === 'failed'
      ? undefined
      : numbers.length > 0
        ? `${name} CPU over 14 days: ${formatPercent(Math.min(...numbers), 1)} to ${formatPercent(Math.max(...numbers), 1)}`
        : undefined;
  return (
    <span ref={ref} style={{ display: 'inline-block', width: 80, height: 24 }} title={values === 'failed' ? "Couldn't load the daily usage" : undefined}>
      {Array.isArray(values) ? <Sparkline values={values} label={label} width={80} height={24} /> : null}
    </span>
  );
}
