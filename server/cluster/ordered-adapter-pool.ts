// The connection pool @socket.io/postgres-adapter is given, shaped so broadcasts reach other
// replicas exactly in the order they were emitted. The adapter itself does not promise that:
//  - sending, a payload over 8 kB is two queries (INSERT the attachment, then NOTIFY its id),
//    and a small broadcast emitted meanwhile could NOTIFY between them and overtake it;
//  - receiving, an attachment's notification waits for a SELECT while a later small one is
//    handled at once.
// So: every query runs on one connection, one at a time, in order, except that the NOTIFY of a
// just-inserted attachment goes next; and the LISTEN connection's notification handler runs
// each notification only after the previous one has been handled.
import pg from 'pg';

interface Pending {
  text: string;
  values: unknown[] | undefined;
  resolve: (r: pg.QueryResult) => void;
  reject: (err: Error) => void;
}

type NotificationHandler = (msg: pg.Notification) => Promise<void> | void;

export class OrderedAdapterPool {
  private readonly listen: pg.Pool;
  private readonly publish: pg.Pool;
  private readonly queue: Pending[] = [];
  private running = false;
  /** Set after an attachment INSERT: the NOTIFY naming this id runs before anything else. */
  private reservedFor: string | null = null;
  private reservationTimer: NodeJS.Timeout | null = null;

  constructor(databaseUrl: string, onError: (err: Error) => void) {
    this.listen = new pg.Pool({ connectionString: databaseUrl, max: 1, application_name: 'socket.io-adapter-listen' });
    this.publish = new pg.Pool({ connectionString: databaseUrl, max: 1, application_name: 'socket.io-adapter-notify' });
    this.listen.on('error', onError);
    this.publish.on('error', onError);
  }

  /** The adapter's LISTEN connection, its notifications handled one after another. */
  async connect(): Promise<pg.PoolClient> {
    const client = await this.listen.connect();
    const on = client.on.bind(client);
    let chain: Promise<void> = Promise.resolve();
    (client as { on: (event: string, fn: (...args: never[]) => unknown) => unknown }).on = (event, fn) => {
      if (event !== 'notification') return on(event as 'end', fn as () => void);
      const handler = fn as unknown as NotificationHandler;
      return on('notification', (msg) => {
        chain = chain.then(() => handler(msg)).catch(() => undefined); // the adapter's handler reports its own errors
      });
    };
    return client;
  }

  query(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ text, values, resolve, reject });
      void this.pump();
    });
  }

  async end(): Promise<void> {
    if (this.reservationTimer) clearTimeout(this.reservationTimer);
    await Promise.all([this.listen.end(), this.publish.end()]);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const index = this.reservedFor === null ? 0 : this.queue.findIndex((p) => isNotifyOf(p, this.reservedFor!));
    if (this.queue.length === 0) return;
    if (index < 0) {
      // The reserved NOTIFY is queued by the adapter right after its INSERT resolves; wait for
      // it, but not for ever (an adapter that failed in between must not stall every broadcast).
      this.reservationTimer ??= setTimeout(() => {
        this.reservationTimer = null;
        this.reservedFor = null;
        void this.pump();
      }, 1_000);
      return;
    }
    if (this.reservationTimer) clearTimeout(this.reservationTimer);
    this.reservationTimer = null;
    const [next] = this.queue.splice(index, 1);
    this.running = true;
    if (this.reservedFor !== null && index >= 0) this.reservedFor = null;
    try {
      const result = await this.publish.query(next!.text, next!.values);
      if (/^INSERT INTO \S+ \(payload\)/.test(next!.text)) this.reservedFor = String((result.rows[0] as { id: unknown }).id);
      next!.resolve(result);
    } catch (err) {
      next!.reject(err as Error);
    } finally {
      this.running = false;
      if (this.queue.length > 0) setImmediate(() => void this.pump());
    }
  }
}

function isNotifyOf(p: Pending, attachmentId: string): boolean {
  if (!p.text.includes('pg_notify') || typeof p.values?.[1] !== 'string') return false;
  try {
    return String((JSON.parse(p.values[1]) as { attachmentId?: unknown }).attachmentId) === attachmentId;
  } catch {
    return false;
  }
}
