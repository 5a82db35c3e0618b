// What a failed Kubernetes API call becomes: a FleetError with a code that says what to fix
// (RBAC, a missing object, a concurrent change) and the API server's own message, never a raw
// ApiException dump.
import { ApiException } from '@kubernetes/client-node';
import { FleetError, type FleetErrorCode } from '../node-fleet.ts';

const BY_STATUS: Record<number, FleetErrorCode> = { 403: 'K8S_FORBIDDEN', 404: 'K8S_NOT_FOUND', 409: 'K8S_CONFLICT' };

/** The `message` of a Kubernetes Status body, when there is one. */
function statusMessage(body: unknown): string | null {
  let b = body;
  if (typeof body === 'string') {
    try {
      b = JSON.parse(body);
    } catch {
      return body.trim() || null;
    }
  }
  const m = (b as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : null;
}

/** `what` names the call, e.g. "delete pod testnet-node-2 in testnet". */
export function kubeError(what: string, err: unknown): FleetError {
  if (err instanceof FleetError) return err;
  if (err instanceof ApiException) {
    const status = err.code as number;
    const code = BY_STATUS[status] ?? 'K8S_API_ERROR';
    const why = statusMessage(err.body) ?? 'no message';
    const hint = code === 'K8S_FORBIDDEN' ? " (the server's ServiceAccount needs the Role rendered in deploy/k8s: pods list/get/delete, statefulsets/scale get/patch)" : '';
    return new FleetError(code, `Kubernetes API refused to ${what}: HTTP ${status}: ${why}${hint}`, { cause: err });
  }
  return new FleetError('K8S_UNREACHABLE', `could not reach the Kubernetes API to ${what}: ${(err as Error).message}`, { cause: err });
}

/** Run one API call; any failure becomes a FleetError naming it. */
export async function kubeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw kubeError(what, err);
  }
}
