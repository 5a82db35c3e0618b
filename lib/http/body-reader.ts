// Reads a request body from node:http under a byte cap. The bytes are counted as they arrive,
// so a client cannot make the server hold more than the cap whatever its headers say; a body
// whose Content-Length is already over the cap is refused before a byte is read. Either way
// the answer is 413 with `connection: close`: the rest of the body stays unread on the socket,
// so the connection cannot carry another request, and the client must be told so rather than
// send its next request into a socket that is about to close.
import type { Readable } from 'node:stream';
import { HttpError } from './errors.ts';

export function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, 'BODY_TOO_LARGE', `request body over ${limit} bytes`, undefined, { connection: 'close' });
}

/** A Content-Length over `limit` (without Transfer-Encoding, which would override it) is a 413 at once. */
export function assertDeclaredLength(header: (name: string) => string | undefined, limit: number): void {
  const declared = header('content-length');
  if (declared === undefined || header('transfer-encoding') !== undefined) return;
  if (parseInt(declared, 10) > limit) throw bodyTooLarge(limit);
}

/**
 * The whole body of `stream`, at most `limit` bytes; a 413 as soon as more arrive (the stream is
 * left paused, not destroyed: destroying it would drop the socket before the 413 is written).
 * A client that goes away mid-body gets a 400 BODY_INCOMPLETE, nobody's fault but its own.
 */
export function readBody(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) return reject(new HttpError(400, 'BODY_INCOMPLETE', 'the connection closed before the request body was read'));
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | null) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.pause();
        done(bodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(null);
    const onError = (err: Error) => done(new HttpError(400, 'BODY_INCOMPLETE', `the request body did not arrive whole: ${err.message}`));
    const onClose = () => done(new HttpError(400, 'BODY_INCOMPLETE', 'the connection closed before the request body ended'));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
