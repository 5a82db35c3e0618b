// The HTTP edge's error shape: {"error": {"code", "message"}} with a fitting status.
// Typed errors from the layers below are mapped to it here and nowhere else.
import type http from 'node:http';
import { ChainError } from '../chain/errors.ts';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(text);
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ChainError) {
    const status = err.code === 'TX_MEMPOOL_FULL' ? 503 : err.code === 'TX_KNOWN' ? 409 : 400;
    return new ApiError(status, err.code, err.message);
  }
  return new ApiError(500, 'INTERNAL', 'internal error');
}

export function sendError(res: http.ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.status, { error: { code: err.code, message: err.message } });
}
