// What Node's HTTP parser refuses before any handler runs (a malformed request line, a head
// over 16 KiB, headers or a request that took too long) gets the one coded JSON error body on
// both HTTP servers, instead of Node's bare answer, and is logged at debug only: a stranger's
// garbage is not an event worth a log line.
import type http from 'node:http';

/** 431 for a head over the parser's limit, 408 when headersTimeout / requestTimeout expired (as Node's default handler says), else 400; no body to a HEAD. */
export function clientErrorAnswer(err: { code?: string }, head = false): string {
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['431 Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'request line and headers over 16 KiB']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['408 Request Timeout', 'REQUEST_TIMEOUT', 'the request took too long to arrive']
        : ['400 Bad Request', 'BAD_REQUEST', 'malformed HTTP request'];
  const body = head ? '' : JSON.stringify({ error: { code, message } });
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Answers `server`'s parser errors with clientErrorAnswer and closes the connection. */
export function answerClientErrors(server: http.Server, debug: (fields: { err: string; code?: string }) => void): void {
  server.on('clientError', (err: Error & { code?: string; rawPacket?: Buffer }, socket) => {
    debug({ err: err.message, code: err.code });
    if (socket.writable) socket.end(clientErrorAnswer(err, err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD '));
    else socket.destroy();
  });
}
