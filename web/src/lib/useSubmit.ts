import { useCallback, useState } from 'react';
import { type FormErrors, hasErrors, toFormErrors } from './formErrors.ts';

export interface Submit<Field extends string> {
  errors: FormErrors<Field>;
  submitting: boolean;
  /**
   * Runs the form's action: first the quick checks the browser can make (`check` returns messages
   * per field), then the request; what the API refuses comes back as field or form messages.
   */
  run: (action: () => Promise<void>, check?: () => FormErrors<Field>) => Promise<void>;
  clearError: (field: Field) => void;
  /** Forget every message (a dialog that is closed and opened again starts clean). */
  reset: () => void;
}

export function useSubmit<Field extends string>(fields: readonly Field[]): Submit<Field> {
  const [errors, setErrors] = useState<FormErrors<Field>>({ fields: {} });
  const [submitting, setSubmitting] = useState(false);

  const run = useCallback(
    async (action: () => Promise<void>, check?: () => FormErrors<Field>) => {
      const local = check?.();
      if (local && hasErrors(local)) {
        setErrors(local);
        return;
      }
      setErrors({ fields: {} });
      setSubmitting(true);
      try {
        await action();
      } catch (error) {
        setErrors(toFormErrors(error, fields));
      } finally {
        setSubmitting(false);
      }
    },
    [fields],
  );

  const clearError = useCallback(
    (field: Field) =>
      setErrors((current) => (current.fields[field] ? { ...current, fields: { ...current.fields, [field]: undefined } } : current)),
    [],
  );

  const reset = useCallback(() => setErrors({ fields: {} }), []);

  return { errors, submitting, run, clearError, reset };
}

/** Messages for required fields left empty, in the words the API would use. */
export function requireFields<Field extends string>(values: Record<Field, string>, messages: Partial<Record<Field, string>>): FormErrors<Field> {
  const errors: FormErrors<Field> = { fields: {} };
  for (const field of Object.keys(messages) as Field[]) {
    if (values[field].trim() === '') errors.fields[field] = messages[field];
  }
  return errors;
}
