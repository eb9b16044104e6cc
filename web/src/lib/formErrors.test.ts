import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { hasErrors, toFormErrors } from './formErrors.ts';

const FIELDS = ['email', 'password', 'name'] as const;

function invalid(details: unknown, message = 'The request is not valid.'): ApiError {
  return new ApiError(400, 'invalid_request', message, details);
}

describe('form error mapping', () => {
  it('puts each validation issue beside the field it names', () => {
    const errors = toFormErrors(
      invalid([
        { path: ['email'], message: 'Enter a valid email address.' },
        { path: ['password'], message: 'Use at least 10 characters.' },
      ]),
      FIELDS,
    );
    expect(errors).toEqual({ fields: { email: 'Enter a valid email address.', password: 'Use at least 10 characters.' } });
  });

  it('keeps the first message when a field has several', () => {
    const errors = toFormErrors(
      invalid([
        { path: ['password'], message: 'Use at least 10 characters.' },
        { path: ['password'], message: 'Something else.' },
      ]),
      FIELDS,
    );
    expect(errors.fields.password).toBe('Use at least 10 characters.');
  });

  it('understands paths prefixed with the request part and nested paths', () => {
    const errors = toFormErrors(
      invalid([
        { path: ['body', 'email'], message: 'Enter a valid email address.' },
        { path: ['name', 'first'], message: 'Too long.' },
      ]),
      FIELDS,
    );
    expect(errors.fields).toEqual({ email: 'Enter a valid email address.', name: 'Too long.' });
  });

  it('shows issues about fields the form does not have as the form message', () => {
    const errors = toFormErrors(invalid([{ path: ['organizationId'], message: 'Invalid uuid.' }]), FIELDS);
    expect(errors).toEqual({ fields: {}, message: 'Invalid uuid.' });
  });

  it("uses the API's message when an invalid request names no issue", () => {
    expect(toFormErrors(invalid(undefined, 'The body must be JSON.'), FIELDS)).toEqual({ fields: {}, message: 'The body must be JSON.' });
    expect(toFormErrors(invalid([]), FIELDS)).toEqual({ fields: {}, message: 'The request is not valid.' });
  });

  it("shows other refusals (wrong password, rate limit) in the API's words above the form", () => {
    const limited = new ApiError(429, 'too_many_attempts', 'Too many attempts. Try again in 14 minutes.');
    expect(toFormErrors(limited, FIELDS)).toEqual({ fields: {}, message: 'Too many attempts. Try again in 14 minutes.' });
  });

  it('says something useful about errors that did not come from the API', () => {
    const errors = toFormErrors(new TypeError('x is undefined'), FIELDS);
    expect(errors.message).toMatch(/Reload the page/);
    expect(hasErrors(errors)).toBe(true);
  });

  it('ignores malformed issues rather than crashing', () => {
    const errors = toFormErrors(invalid([null, 'text', { path: 'email', message: 1 }, { path: ['email'], message: 'Enter a valid email address.' }]), FIELDS);
    expect(errors).toEqual({ fields: { email: 'Enter a valid email address.' } });
  });

  it('knows an empty result has no errors', () => {
    expect(hasErrors({ fields: {} })).toBe(false);
    expect(hasErrors({ fields: { email: undefined } })).toBe(false);
  });
});
