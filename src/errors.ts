/**
 * One error type for everything Tally reports on purpose. The HTTP layer maps `status` and `code`
 * to `{ error: { code, message } }`; the job layer uses `retryable` to decide whether to try again.
 * Messages are for people: say what went wrong and what to do. Never put a secret in one.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_config'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'too_many_attempts'
  | 'csrf_failed'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'conflict'
  | 'setup_done'
  | 'setup_needed'
  | 'last_owner'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_config: 500,
  unauthenticated: 401,
  invalid_credentials: 401,
  too_many_attempts: 429,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  conflict: 409,
  setup_done: 409,
  setup_needed: 409,
  last_owner: 409,
  internal: 500,
};

export class TallyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly retryable: boolean;
  /** Seconds a client should wait before trying again (sent as Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: unknown; retryable?: boolean; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'TallyError';
    this.code = code;
    this.status = statusOf[code];
    this.details = options.details;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
