/**
 * What can go wrong calling a provider, as classes the engine and the connection checks act on.
 * Messages never carry a token: they name the provider, the path and the status.
 */
export class ProviderError extends Error {
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(message: string, options: { status?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

/** 401: the token is expired, revoked, or of the wrong kind. */
export class TokenRejectedError extends ProviderError {
  override name = 'TokenRejectedError';
}

/** 403: the grant lacks a scope or a permission. */
export class ForbiddenError extends ProviderError {
  override name = 'ForbiddenError';
}

/** 404: the thing (or the feature, for a child stream) is not there. */
export class NotFoundError extends ProviderError {
  override name = 'NotFoundError';
}

/** The provider answered with an HTML page where JSON was expected (a bot-protection challenge, a login page). */
export class HtmlInsteadOfJsonError extends ProviderError {
  override name = 'HtmlInsteadOfJsonError';
}

/** A bot-protection challenge or login page, recognised by its type or its first bytes. */
export function looksLikeHtml(contentType: string, body: string): boolean {
  return contentType.includes('text/html') || /^\s*<(!doctype|html)/i.test(body);
}
