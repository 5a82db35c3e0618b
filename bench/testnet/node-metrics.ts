// Every node's /metrics, parsed: a benchmark takes two snapshots and the difference of its
// counters over a window.
import { NodeApiClient } from '../../lib/http/node-client.ts';
import { parsePrometheusText, type Sample } from './prometheus-text.ts';

const METRICS_TIMEOUT_MS = 15_000;

/** Every node's /metrics; a node on a busy machine may take a while, so the wait is generous. */
export async function metricsOf(urls: string[]): Promise<Sample[][]> {
  return Promise.all(
    urls.map(async (url) => {
      try {
        return parsePrometheusText(await new NodeApiClient(url, { timeoutMs: METRICS_TIMEOUT_MS }).metricsText());
      } catch (err) {
        throw new Error(`reading ${url}/metrics: ${(err as Error).message}`, { cause: err });
      }
    }),
  );
}
