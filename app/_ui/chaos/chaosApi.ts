// The chaos page's requests and cache keys: the history (public), the sign-in session and the
// actions (need the httpOnly session cookie, which the browser sends by itself).
import type { ChaosAction, ChaosActionResponse, ChaosResponse, SessionResponse } from '../../../wire/chaos-api.ts';
import type { Scenario, ScenarioRunRecord, ScenariosResponse } from '../../../wire/scenario.ts';
import { ApiRequestError, fetchJson } from '../../_lib/api.ts';

export const chaosKeys = {
  actions: () => ['chaos-actions'] as const,
  session: () => ['control-session'] as const,
  /** GET /api/scenarios: the example files and the recent runs (public). */
  scenarios: () => ['scenarios'] as const,
};

async function send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiRequestError(0, 'SERVER_UNREACHABLE', 'The explorer server is not answering. Is `npm start` still running?');
  }
  const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new ApiRequestError(res.status, json?.error?.code ?? 'HTTP_ERROR', json?.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

export const chaosApi = {
  list: () => fetchJson<ChaosResponse>('/api/chaos'),
  session: () => fetchJson<SessionResponse>('/api/session'),
  /** The token goes to the server once; it answers with an httpOnly cookie the page cannot read. */
  signIn: (token: string) => send<SessionResponse>('POST', '/api/session', { token }),
  signOut: () => send<SessionResponse>('DELETE', '/api/session'),
  apply: (action: ChaosAction) => send<ChaosActionResponse>('POST', '/api/chaos', action),
  scenarios: () => fetchJson<ScenariosResponse>('/api/scenarios'),
  /** Starts a run of an example file or a whole scenario; 409 SCENARIO_RUNNING while one runs. */
  runScenario: (body: { file: string } | { scenario: Scenario }) => send<{ run: ScenarioRunRecord }>('POST', '/api/scenarios/run', body),
};

/** Whether an error means "not signed in (any more)". */
export function isAuthError(err: unknown): err is ApiRequestError {
  return err instanceof ApiRequestError && (err.status === 401 || err.status === 403);
}
