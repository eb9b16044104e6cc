import { z } from 'zod';

/** Every error the API sends has this shape; `code` is stable, `message` is for people. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Id = z.string().uuid();
export const Timestamp = z.string().datetime({ offset: true });

export const OrgParams = z.object({ orgId: Id });

export const Role = z.enum(['owner', 'admin', 'member']);
export type Role = z.infer<typeof Role>;

/** Name of the CSRF cookie; the browser echoes its value in the `x-csrf-token` header on every non-GET. */
export const CSRF_COOKIE = 'tally_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'tally_session';

export const Ok = z.object({ ok: z.literal(true) });
