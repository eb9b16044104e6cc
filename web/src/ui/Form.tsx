import { type ReactNode, useEffect, useRef } from 'react';
import { type FormErrors, hasErrors } from '../lib/formErrors.ts';
import { Alert } from './Alert.tsx';
import styles from './Form.module.css';

export interface FormProps {
  onSubmit: () => void;
  errors: FormErrors;
  children: ReactNode;
  id?: string;
  /** Label for the form landmark, when the page has more than one form. */
  'aria-label'?: string;
  'aria-labelledby'?: string;
}

/**
 * A form that validates itself (no browser bubbles), shows the form-level message above the fields
 * and moves focus to the first field in error after a failed submit.
 */
export function Form({ onSubmit, errors, children, id, ...aria }: FormProps) {
  const ref = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!hasErrors(errors)) return;
    const target = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? ref.current?.querySelector<HTMLElement>('[data-form-message]');
    target?.focus();
  }, [errors]);

  return (
    <form
      ref={ref}
      id={id}
      className={styles.form}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
      {...aria}
    >
      {errors.message ? (
        <div data-form-message tabIndex={-1} className={styles.message}>
          <Alert tone="danger" live>
            {errors.message}
          </Alert>
        </div>
      ) : null}
      {children}
    </form>
  );
}

/** Buttons at the end of a form. */
export function FormActions({ children, align = 'start' }: { children: ReactNode; align?: 'start' | 'end' | 'stretch' }) {
  return <div className={`${styles.actions} ${styles[align]}`}>{children}</div>;
}
