import { ApiError } from '../api/client.ts';

export interface FormErrors<Field extends string = string> {
  /** One message per field, shown beside it. */
  fields: Partial<Record<Field, string>>;
  /** A message for the whole form (shown above it), when something is not about one field. */
  message?: string;
}

export const NO_ERRORS: FormErrors<never> = { fields: {} };

interface Issue {
  path: unknown[];
  message: string;
}

/** Request parts Fastify may prefix an issue's path with; the form only knows body field names. */
const REQUEST_PARTS = new Set(['body', 'querystring', 'params']);

/**
 * Turns what a submit threw into messages for a form: `invalid_request` issues land beside the
 * fields they name, anything else (wrong password, rate limit, conflicts) becomes the form message,
 * always in the API's words.
 */
export function toFormErrors<Field extends string>(error: unknown, fields: readonly Field[]): FormErrors<Field> {
  if (!(error instanceof ApiError)) {
    return { fields: {}, message: 'Something went wrong in the dashboard. Reload the page and try again.' };
  }
  if (error.code !== 'invalid_request' || !Array.isArray(error.details)) {
    return { fields: {}, message: error.message };
  }

  const known = new Set<string>(fields);
  const result: FormErrors<Field> = { fields: {} };
  const unplaced: string[] = [];
  for (const issue of error.details.filter(isIssue)) {
    const field = fieldOf(issue.path, known) as Field | undefined;
    if (field === undefined) unplaced.push(issue.message);
    else result.fields[field] ??= issue.message;
  }
  if (unplaced.length > 0) result.message = unplaced.join(' ');
  else if (Object.keys(result.fields).length === 0) result.message = error.message;
  return result;
}

function fieldOf(path: unknown[], known: Set<string>): string | undefined {
  const segments = path.map(String);
  if (segments.length > 1 && REQUEST_PARTS.has(segments[0] ?? '')) segments.shift();
  const name = segments.join('.');
  if (known.has(name)) return name;
  const first = segments[0];
  return first !== undefined && known.has(first) ? first : undefined;
}

function isIssue(value: unknown): value is Issue {
  return (
    typeof value === 'object' &&
    value !== null &&
    'path' in value &&
    Array.isArray(value.path) &&
    'message' in value &&
    typeof value.message === 'string'
  );
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.message !== undefined || Object.values(errors.fields).some((m) => m !== undefined);
}
