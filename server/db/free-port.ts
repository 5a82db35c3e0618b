// Finds a TCP port on 127.0.0.1 that nothing listens on right now.
import net from 'node:net';

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(null));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

/** `preferred` when it is free, else any free port chosen by the OS. 0 means "any". */
export async function findFreePort(preferred = 0): Promise<number> {
  if (preferred !== 0) {
    const port = await tryListen(preferred);
    if (port !== null) return port;
  }
  const port = await tryListen(0);
  if (port === null) throw new Error('could not find a free TCP port on 127.0.0.1');
  return port;
}
