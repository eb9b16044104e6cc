import { useId, useRef, useState } from 'react';
import { Check, Copy } from 'lucide-react';
import { Button } from './Button.tsx';
import styles from './CopyField.module.css';

/** A read-only value (a one-time link, a redirect URI) with a copy button that says when it worked. */
export function CopyField({ label, value, noun = 'link' }: { label: string; value: string; noun?: string }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | false>(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // Clipboard access needs a secure context (https or localhost); over plain http on a LAN
      // it is refused, so select the text for the user to copy by hand instead.
      inputRef.current?.select();
      setCopied('select');
    }
  };

  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      <div className={styles.row}>
        <input
          ref={inputRef}
          id={id}
          className={styles.input}
          value={value}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button
          variant={copied === 'yes' ? 'secondary' : 'primary'}
          icon={copied === 'yes' ? <Check size={16} aria-hidden="true" /> : <Copy size={16} aria-hidden="true" />}
          onClick={() => void copy()}
        >
          {copied === 'yes' ? 'Copied' : `Copy ${noun}`}
        </Button>
      </div>
      <p className={styles.status} role="status">
        {copied === 'yes'
          ? `${noun.charAt(0).toUpperCase()}${noun.slice(1)} copied to the clipboard.`
          : copied === 'select'
            ? `Press Ctrl+C (⌘C on a Mac) to copy the selected ${noun}.`
            : ''}
      </p>
    </div>
  );
}
