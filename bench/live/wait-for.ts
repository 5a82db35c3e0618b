// Waits for a condition by re-checking it every `everyMs` (cheap checks only), with a deadline.
export function waitFor(condition: () => boolean, opts: { timeoutMs: number; everyMs?: number; what: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (condition()) return resolve();
    const deadline = setTimeout(() => {
      clearInterval(check);
      reject(new Error(`timed out after ${opts.timeoutMs / 1000} s waiting for ${opts.what}`));
    }, opts.timeoutMs);
    const check = setInterval(() => {
      if (!condition()) return;
      clearInterval(check);
      clearTimeout(deadline);
      resolve();
    }, opts.everyMs ?? 50);
  });
}
