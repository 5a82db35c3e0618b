// The base of domain errors: a stable `code` and a message, no HTTP status. The router maps
// codes to statuses in one table (lib/http/status-policy.ts); nothing below it knows HTTP.
export class CodedError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A coded error that also carries structured context for logs (height, hash, peer…). */
export class ContextError<C extends string = string, X extends Record<string, unknown> = Record<string, unknown>> extends CodedError<C> {
  constructor(
    code: C,
    message: string,
    readonly context: X = {} as X,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
