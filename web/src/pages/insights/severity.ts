import type { Severity } from '../../api/analytics.ts';
import type { BadgeTone } from '../../ui/Badge.tsx';

export const SEVERITY_VIEW: Record<Severity, { label: string; tone: BadgeTone }> = {
  high: { label: 'High', tone: 'danger' },
  medium: { label: 'Medium', tone: 'warning' },
  low: { label: 'Low', tone: 'neutral' },
};
