// `COPY … FROM STDIN` over a plain `pg` client, without pg-copy-streams (not installed here).
// pg accepts any "submittable" in client.query(): this one sends the COPY statement, answers
// the server's CopyInResponse with CopyData messages (the text chunks given) and CopyDone,
// and settles on ReadyForQuery: the same protocol pg-copy-streams speaks.
import type pg from 'pg';

interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

class CopyFromStdin {
  rowCount = 0;
  private error: Error | null = null;
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (err: Error) => void;

  constructor(
    private readonly text: string,
    private readonly chunks: Buffer[],
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  // ---- the submittable interface pg's Client drives ----
  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: PgConnection): void {
    void this.pump(connection);
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /^COPY (\d+)/.exec(msg.text ?? '');
    if (m) this.rowCount = Number(m[1]);
  }

  handleError(err: Error): void {
    // Also called for a dead connection, which never sends ReadyForQuery: settle now.
    this.error = err;
    this.reject(err);
  }

  handleReadyForQuery(): void {
    if (!this.error) this.resolve(this.rowCount);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  private async pump(connection: PgConnection): Promise<void> {
    try {
      for (const chunk of this.chunks) {
        connection.sendCopyFromChunk(chunk);
        if (connection.stream.writableNeedDrain) await new Promise((r) => connection.stream.once('drain', r));
      }
      connection.endCopyFrom();
    } catch (err) {
      connection.sendCopyFail((err as Error).message);
    }
  }
}

/** Runs `COPY <table> (<columns>) FROM STDIN` with the given text-format data; resolves to the row count. */
export function copyFrom(client: pg.Client, table: string, columns: string[], data: Buffer[]): Promise<number> {
  const sql = `COPY ${table} (${columns.map((c) => client.escapeIdentifier(c)).join(', ')}) FROM STDIN`;
  const copy = new CopyFromStdin(sql, data);
  // A Submittable: pg drives it through the connection and ignores the return value; the
  // outcome arrives on `copy.done`.
  void client.query(copy as unknown as pg.QueryConfig);
  return copy.done;
}

/** One value in COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | number | bigint | null): string {
  if (value === null) return '\\N';
  const s = String(value);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : s;
}
