// What passes between a transport and the router: a request as the router reads it, whichever
// way it came (node:http in node-listener.ts, in process in tests via in-process.ts), and the
// answer it gives back, plain data for the transport to write. JSON answers and the one error
// body are built here, so router and transports cannot disagree on their headers.
import { errorBody, type HttpError } from './errors.ts';

export interface RouterRequest {
  /** As sent: HEAD is served as GET without a body, OPTIONS may be a preflight. */
  method: string;
  /** The absolute URL, as built from the request target and Host (request-target.ts). */
  href: string;
  /** A request header by lower-case name; repeated ones joined with ', '. */
  header(name: string): string | undefined;
  /** The whole body, at most `limit` bytes; throws 413 BODY_TOO_LARGE past it. */
  body(limit: number): Promise<Buffer>;
}

/** What to send back. `body` null: nothing (204); for HEAD the transport drops the body but keeps its length. */
export interface RouterAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const TEXT_TYPE = 'text/plain; charset=utf-8';

/** Answers are computed per request and may carry credentials' effects: never cached by the way. */
export function jsonAnswer(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): RouterAnswer {
  return { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

export function errorAnswer(err: HttpError): RouterAnswer {
  return jsonAnswer(err.status, errorBody(err.code, err.message, err.issues), err.headers);
}
