// Watches the server that accepts P2P links: its listening state and errors, plus a periodic
// loopback connect probe, so a listener that silently stopped accepting shows up in /health
// instead of as "connection refused" on the other nodes.
import type http from 'node:http';
import net from 'node:net';
import type { Logger } from '../logger.ts';

export interface ListenerStatus {
  listening: boolean;
  error: string | null;
}

export class ListenerMonitor {
  private status: ListenerStatus = { listening: false, error: null };
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private stopped = false;
  private probeFailures = 0;

  constructor(
    private readonly server: http.Server,
    private readonly probe: { host: string; port: () => number; intervalMs: number },
    private readonly logger: Logger,
    private readonly onChange: (s: ListenerStatus) => void = () => {},
  ) {}

  start(): void {
    this.server.on('listening', () => this.set({ listening: true, error: null }));
    this.server.on('error', (err: Error & { code?: string }) => this.set({ listening: false, error: `${err.code ?? 'ERROR'}: ${err.message}` }));
    this.server.on('close', () => this.set({ listening: false, error: this.status.error ?? 'listener closed' }));
    if (this.server.listening) this.set({ listening: true, error: null });
    this.timer = setInterval(() => this.runProbe(), this.probe.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get(): ListenerStatus {
    return { ...this.status };
  }

  private set(next: ListenerStatus): void {
    if (this.stopped) return;
    if (next.listening === this.status.listening && next.error === this.status.error) return;
    const was = this.status;
    this.status = next;
    if (!next.listening) this.logger.error({ error: next.error, was }, 'p2p listener is not serving');
    else if (!was.listening && was.error) this.logger.info('p2p listener serving again');
    this.onChange(next);
  }

  private runProbe(): void {
    if (this.probing || !this.server.listening) return;
    this.probing = true;
    const sock = net.connect({ host: this.probe.host, port: this.probe.port() });
    const done = (error: string | null) => {
      sock.destroy();
      this.probing = false;
      // Two failures in a row: one slow connect on a loaded machine is not an outage.
      if (error && ++this.probeFailures >= 2) this.set({ listening: false, error: `probe: ${error}` });
      else if (!error) {
        this.probeFailures = 0;
        if (this.server.listening) this.set({ listening: true, error: null });
      }
    };
    sock.setTimeout(5000, () => done('connect timed out'));
    sock.once('connect', () => done(null));
    sock.once('error', (err: Error & { code?: string }) => done(err.code ?? err.message));
  }
}
