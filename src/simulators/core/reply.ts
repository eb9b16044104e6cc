/** What a simulated endpoint answers, before Fastify writes it. */
export interface SimReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Defaults to `application/json`; a string body with another type is sent as is. */
  contentType?: string;
}

/** Thrown from deep inside a handler (a bad page number, an unknown id) to answer at once. */
export class ReplyError extends Error {
  readonly reply: SimReply;

  constructor(reply: SimReply) {
    super(`simulated error ${reply.status}`);
    this.reply = reply;
  }
}

export function ok(body: unknown, headers?: Record<string, string>): SimReply {
  return headers ? { status: 200, body, headers } : { status: 200, body };
}
