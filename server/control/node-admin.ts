// One node's admin API as the chaos controller calls it: every call answers 'ok' or what went
// wrong in words (kept as the action's per-node result), never throws.
import { NodeApiClient, NodeRequestError } from '../../lib/http/node-client.ts';
import type { RouteInput } from '../../wire/http/route.ts';
import type { NodeRoutes } from '../../wire/node-routes.ts';

/** A node the controller can act on: its admin token, and its index when it is a local testnet node. */
export interface NodeHandle {
  id: string;
  name: string;
  url: string;
  adminToken: string | null;
  localIndex: number | null;
}

/** A node's current clock offset, or what went wrong in words. */
export async function readClockOffset(n: NodeHandle): Promise<number | string> {
  if (!n.adminToken) return `no admin token for ${n.name}`;
  try {
    const res = await new NodeApiClient(n.url, { adminToken: n.adminToken, timeoutMs: 5_000 }).request('adminChaos', {});
    if (res.status === 200) return (res.body as { clockOffsetMs: number }).clockOffsetMs;
    return `HTTP ${res.status} reading the clock offset`;
  } catch (err) {
    return `unreachable: ${(err as Error).message}`;
  }
}

/** One admin call on a node: 'ok', or what went wrong in words (stored as the action's result). */
export async function adminCall<K extends 'adminResume' | 'adminPause' | 'adminClock' | 'adminSetRules' | 'adminByzantine'>(
  node: NodeHandle,
  id: K,
  input: RouteInput<NodeRoutes[K]>,
): Promise<string> {
  if (!node.adminToken) return `no admin token for ${node.name}`;
  try {
    const res = await new NodeApiClient(node.url, { adminToken: node.adminToken, timeoutMs: 5_000 }).request(id, input);
    if (res.status >= 200 && res.status < 300) return 'ok';
    const err = res.body as { error?: { message?: string } } | null;
    return `HTTP ${res.status}: ${err?.error?.message ?? 'error'}`;
  } catch (err) {
    if (err instanceof NodeRequestError && err.code === 'NODE_UNREACHABLE') return `unreachable: ${err.reason.replace(/^node did not answer: /, '')}`;
    if (err instanceof NodeRequestError) return `HTTP ${err.status}: ${err.reason}`;
    return `unreachable: ${(err as Error).message}`;
  }
}
