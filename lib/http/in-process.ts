// The router answering a web Request in process, for tests (the contract of Hono's
// `app.request`, which the tests were written against): a path is taken against
// http://localhost, the answer comes back as a web Response. Only tests call it: a node
// daemon never touches fetch's Request/Response (they load undici, ~9 MB of RSS).
import { bodyTooLarge } from './body-reader.ts';
import type { RouterAnswer, RouterRequest } from './exchange.ts';

export async function requestInProcess(router: { answer(req: RouterRequest): Promise<RouterAnswer> }, input: string | URL | Request, init?: RequestInit): Promise<Response> {
  let request: Request;
  if (input instanceof Request) request = init ? new Request(input, init) : input;
  else {
    const text = input.toString();
    request = new Request(/^https?:\/\//.test(text) ? text : `http://localhost${text.startsWith('/') ? '' : '/'}${text}`, init);
  }
  const bytes = request.body ? Buffer.from(await request.arrayBuffer()) : Buffer.alloc(0);
  const answer = await router.answer({
    method: request.method,
    href: request.url,
    header: (name) => request.headers.get(name) ?? undefined,
    body: async (limit) => {
      if (bytes.length > limit) throw bodyTooLarge(limit);
      return bytes;
    },
  });
  return new Response(request.method === 'HEAD' ? null : answer.body, { status: answer.status, headers: answer.headers });
}
