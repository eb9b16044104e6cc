import { RefreshCw } from 'lucide-react';
import { Button } from '../ui/Button.tsx';
import { Spinner } from '../ui/Spinner.tsx';
import styles from './FullPage.module.css';
import { Logo } from './Logo.tsx';

/** Shown for the fraction of a second while Tally checks who is signed in. */
export function FullPageLoading() {
  return (
    <main className={styles.page} aria-busy="true">
      <Logo size={36} wordmark={false} />
      <p className={styles.loading}>
        <Spinner size={16} /> Loading Tally…
      </p>
    </main>
  );
}

export function FullPageError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <main className={styles.page}>
      <Logo size={36} />
      <div className={styles.card} role="alert">
        <h1 className={styles.title}>Tally isn't answering</h1>
        <p className={styles.text}>{message}</p>
        <Button variant="primary" icon={<RefreshCw size={16} aria-hidden="true" />} onClick={onRetry}>
          Try again
        </Button>
      </div>
    </main>
  );
}
