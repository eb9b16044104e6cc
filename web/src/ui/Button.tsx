import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import { Link } from 'wouter';
import styles from './Button.module.css';
import { Spinner } from './Spinner.tsx';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'danger-outline';
export type ButtonSize = 'sm' | 'md' | 'lg';

interface ButtonLookProps {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** An icon before the label (a lucide icon element). */
  icon?: ReactNode;
  /** An icon after the label (an arrow on "Continue"). */
  iconEnd?: ReactNode;
  block?: boolean;
}

export function buttonClass({ variant = 'secondary', size = 'md', block = false }: ButtonLookProps, extra?: string): string {
  return [styles.button, styles[variant], styles[size], block ? styles.block : '', extra ?? ''].filter(Boolean).join(' ');
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement>, ButtonLookProps {
  /** Shows a spinner, keeps the width and ignores clicks while an action runs. */
  loading?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({ variant, size, icon, iconEnd, block, loading = false, className, children, disabled, type, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type ?? 'button'}
      className={buttonClass({ variant, size, block }, className)}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
    >
      {loading ? <Spinner size={size === 'sm' ? 14 : 16} /> : icon}
      {children}
      {loading ? null : iconEnd}
    </button>
  );
}

export interface ButtonLinkProps extends ButtonLookProps {
  href: string;
  children: ReactNode;
  className?: string;
}

/** A link that looks like a button (navigation, not an action). */
export function ButtonLink({ href, variant, size, icon, iconEnd, block, className, children }: ButtonLinkProps) {
  return (
    <Link href={href} className={buttonClass({ variant, size, block }, className)}>
      {icon}
      {children}
      {iconEnd}
    </Link>
  );
}
