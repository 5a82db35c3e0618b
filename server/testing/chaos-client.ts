// Test harness: POST /api/chaos on a control plane with its control token, as the chaos
// integration tests make it.
import assert from 'node:assert/strict';
import type { ChaosActionResponse, ChaosRecord } from '../../wire/chaos-api.ts';

/** A function that posts one chaos action; the raw response. */
export function chaosPoster(planeUrl: string, token: string): (body: unknown) => Promise<Response> {
  return (body) =>
    fetch(planeUrl + '/api/chaos', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
}

/** The record of a posted action, asserting it was accepted (201), whatever its status. */
export async function acceptedRecord(res: Response, body: unknown): Promise<ChaosRecord> {
  const text = await res.text();
  assert.equal(res.status, 201, `POST /api/chaos ${JSON.stringify(body)}: ${text}`);
  return (JSON.parse(text) as ChaosActionResponse).action;
}
