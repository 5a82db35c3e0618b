// One pino logger per process, JSON to stdout; modules take child loggers with their name.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(opts: { level?: string; name?: string; /** a file instead of stdout */ file?: string } = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { name: opts.name, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.file ? pino.destination({ dest: opts.file, sync: true, mkdir: true }) : pino.destination({ dest: 1, sync: true }),
  );
}

/** Log fields for an error: code, message, context and stack, once. */
export function errFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; context?: Record<string, unknown> };
    return { err: { code: e.code ?? e.name, message: e.message, ...(e.context ?? {}), stack: e.stack } };
  }
  return { err: { message: String(err) } };
}
