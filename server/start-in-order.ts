// Parts that start in order and stop in reverse: the shape of the control plane and of its
// leader work. `startParts` pushes a stopper after each part starts; a failed start stops
// whatever had started, and the returned stop() is idempotent.
import type { Logger } from 'pino';

export type Stopper = { name: string; stop: () => Promise<void> | void };

export async function startInOrder<T>(logger: Logger, startParts: (stoppers: Stopper[], stop: () => Promise<void>) => Promise<T>): Promise<T> {
  const stoppers: Stopper[] = [];
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of stoppers.reverse()) {
        try {
          await s.stop();
        } catch (err) {
          logger.error({ err, part: s.name }, 'error while stopping');
        }
      }
    })());
  try {
    return await startParts(stoppers, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}
