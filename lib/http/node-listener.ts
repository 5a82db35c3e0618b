// Plugs the router into a node:http server: builds the request's URL the way the API always
// did (request-target.ts; a target or Host that forms none is a coded 400 that closes the
// connection), reads headers and body straight from the IncomingMessage, and writes the answer
// with one writeHead + end. Headers a host set before (security headers, served-by) stay.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { readBody } from './body-reader.ts';
import { HttpError } from './errors.ts';
import { errorAnswer, type RouterAnswer, type RouterRequest } from './exchange.ts';
import { BadTargetError, requestHref } from './request-target.ts';

const BAD_TARGET = errorAnswer(new HttpError(400, 'BAD_REQUEST', 'the request target or Host header does not form a URL', undefined, { connection: 'close' }));

function write(res: ServerResponse, answer: RouterAnswer): void {
  // node:http sends no body for HEAD but keeps this length: GET's headers, as HEAD means.
  const headers = answer.body === null ? answer.headers : { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) };
  res.writeHead(answer.status, headers);
  res.end(answer.body ?? undefined);
}

/** A request header by name; repeated ones joined with ', ' (as fetch's Headers.get, which the API had before). */
function headerReader(req: IncomingMessage): (name: string) => string | undefined {
  return (name) => {
    const values = req.headersDistinct[name.toLowerCase()];
    return values === undefined ? undefined : values.length === 1 ? values[0] : values.join(', ');
  };
}

/** A node:http request listener serving `router`. */
export function nodeListener(router: { answer(req: RouterRequest): Promise<RouterAnswer> }): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let href: string;
    try {
      href = requestHref(req.url ?? '', req.headers.host, (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http');
    } catch (err) {
      if (!(err instanceof BadTargetError)) throw err;
      write(res, BAD_TARGET);
      return;
    }
    router
      .answer({ method: req.method ?? 'GET', href, header: headerReader(req), body: (limit) => readBody(req, limit) })
      .then((answer) => write(res, answer))
      // The router answers every error itself; what is left is a socket that broke while the
      // answer was written, and all that remains to do with it is to close it.
      .catch(() => res.destroy());
  };
}
