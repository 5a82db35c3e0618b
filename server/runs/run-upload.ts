// Posts a run file to a running explorer (POST /api/runs/import with its control token), as
// `npm run experiment -- --upload URL` and `npm run soak -- --chaos --upload URL` do, and names
// the run's page there. The explorer judges the verdict again from the file's history.
import { ControlPlaneClient } from '../../lib/http/control-plane-client.ts';
import type { RunFile } from '../../wire/run-api.ts';

export async function uploadRunFile(file: RunFile, to: { url: string; token: string }): Promise<{ id: number; created: boolean; page: string }> {
  const base = to.url.replace(/\/+$/, '');
  // A long run's file can be tens of megabytes: give the upload time.
  const answer = await new ControlPlaneClient(base, { token: to.token, timeoutMs: 120_000 }).call('importRun', { body: file });
  return { id: answer.run.id, created: answer.created, page: `${base}/runs/${answer.run.id}` };
}
