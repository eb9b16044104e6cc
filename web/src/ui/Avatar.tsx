import { initials } from '../lib/format.ts';
import styles from './Avatar.module.css';

// Background/foreground pairs that keep initials readable (AA) whatever the name hashes to.
const PALETTE = [
  ['#e0e7ff', '#3730a3'],
  ['#dcfae6', '#085d3a'],
  ['#fef0c7', '#93370d'],
  ['#fce7f6', '#9e165f'],
  ['#d1e9ff', '#194185'],
  ['#ebe9fe', '#4a1fb8'],
  ['#ccfbef', '#125d56'],
  ['#fee4e2', '#912018'],
] as const;

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(h);
}

export interface AvatarProps {
  name: string;
  /** Stable key for the colour (an id or email), so renaming keeps the colour. */
  seed?: string;
  size?: number;
  shape?: 'circle' | 'square';
}

/** Initials on a colour; decorative, since the name is always written next to it. */
export function Avatar({ name, seed, size = 32, shape = 'circle' }: AvatarProps) {
  const [background, color] = PALETTE[hash(seed ?? name) % PALETTE.length] ?? PALETTE[0];
  return (
    <span
      className={`${styles.avatar} ${shape === 'square' ? styles.square : ''}`}
      style={{ width: size, height: size, background, color, fontSize: Math.round(size * 0.38) }}
      aria-hidden="true"
    >
      {initials(name)}
    </span>
  );
}
