// Errors the HTTP edge itself raises (bad input, auth, size, routing), already carrying their
// status. Domain errors do not: they carry a code and the status policy maps it.
import type { ErrorBody, ErrorIssue } from '../../wire/http/errors.ts';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: ErrorIssue[],
    /** Headers the answer must carry, e.g. `connection: close` when the body was refused unread. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, issues?: ErrorIssue[]): ErrorBody {
  return issues ? { error: { code, message, issues } } : { error: { code, message } };
}
