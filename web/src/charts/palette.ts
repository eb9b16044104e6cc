// Series colours: distinct in hue and lightness (so neighbours stay apart for colour-blind readers too),
// each dark enough for 3:1 against white, as WCAG asks of graphics.
export const SERIES_COLORS = ['#4f46e5', '#0e9384', '#dc6803', '#c11574', '#1570ef', '#7a5af8', '#4ca30d', '#667085'] as const;

/** The colour of the index-th series, cycling when there are more series than colours. */
export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length] ?? SERIES_COLORS[0];
}

/** Fixed colours for the providers, so DigitalOcean is the same blue on every page. */
export const PROVIDER_COLORS: Record<string, string> = { digitalocean: '#0069ff', bitbucket: '#0e9384' };

export const GRID_COLOR = '#e3e6ec';
export const AXIS_TEXT_COLOR = '#525b6b';
