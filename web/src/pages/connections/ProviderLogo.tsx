import type { ProviderSlug } from '../../api/connections.ts';
import styles from './Connections.module.css';

// The providers' marks (shapes from Simple Icons, CC0) in their brand colours, on a soft tile.
const MARKS: Record<ProviderSlug, { color: string; path: string }> = {
  digitalocean: {
    color: '#0069ff',
    path: 'M12.04 0C5.408-.02.005 5.37.005 11.992h4.638c0-4.923 4.882-8.731 10.064-6.855a6.95 6.95 0 0 1 4.147 4.148c1.889 5.177-1.924 10.055-6.84 10.064v-4.61H7.391v4.623h4.61V24c7.86 0 13.967-7.588 11.397-15.83-1.115-3.59-3.985-6.446-7.575-7.575A12.8 12.8 0 0 0 12.039 0zM7.39 19.362H3.828v3.564H7.39zm-3.563 0v-2.978H.85v2.978z',
  },
  bitbucket: {
    color: '#0052cc',
    path: 'M.778 1.213a.768.768 0 0 0-.768.892l3.263 19.81c.084.5.515.868 1.022.873H19.95a.772.772 0 0 0 .77-.646l3.27-20.03a.768.768 0 0 0-.768-.891zM14.52 15.53H9.522L8.17 8.466h7.561z',
  },
};

export function ProviderLogo({ provider, size = 44 }: { provider: ProviderSlug; size?: number }) {
  const mark = MARKS[provider];
  return (
    <span className={styles.logo} style={{ width: size, height: size }} aria-hidden="true">
      <svg viewBox="0 0 24 24" width={Math.round(size * 0.55)} height={Math.round(size * 0.55)} fill={mark.color}>
        <path d={mark.path} />
      </svg>
    </span>
  );
}

/** Names for when only the slug is known (the invitee's page after the invitation was used up). */
export const PROVIDER_NAMES: Record<ProviderSlug, string> = { digitalocean: 'DigitalOcean', bitbucket: 'Bitbucket Cloud' };
