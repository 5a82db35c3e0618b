// Which requests a follower answers itself (Postgres reads, sessions) and which go to the leader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followerAnswersLocally } from './leader-forwarding.ts';

test('reads Postgres answers stay on the follower; live state and writes go to the leader', () => {
  for (const [method, url] of [
    ['GET', '/api/health'],
    ['GET', '/api/blocks?limit=5'],
    ['GET', '/api/blocks/42'],
    ['GET', '/api/txs/abc'],
    ['GET', '/api/search?q=1'],
    ['GET', `/api/accounts/${'ab'.repeat(32)}/txs?limit=25`],
    ['GET', '/api/alerts'],
    ['GET', '/api/nodes/heights?minutes=5'],
    ['GET', '/api/propagation?blocks=100'],
    ['GET', '/api/runs'],
    ['GET', '/api/runs/7/export'],
    ['GET', '/api/session'],
    ['POST', '/api/session'],
    ['DELETE', '/api/session'],
  ] as const)
    assert.equal(followerAnswersLocally(method, url), true, `${method} ${url}`);
  for (const [method, url] of [
    ['POST', '/api/chaos'],
    ['GET', '/api/chaos'],
    ['GET', '/api/nodes'],
    ['GET', '/api/nodes/node-1'],
    ['GET', '/api/peers'],
    ['GET', '/api/events'],
    ['GET', '/api/consensus'],
    ['GET', `/api/accounts/${'ab'.repeat(32)}`],
    ['GET', '/api/forks'],
    ['POST', '/api/scenarios/run'],
    ['POST', '/api/scenarios/3/cancel'],
    ['POST', '/api/runs'],
    ['POST', '/api/runs/import'],
    ['POST', '/api/runs/3/cancel'],
  ] as const)
    assert.equal(followerAnswersLocally(method, url), false, `${method} ${url}`);
});
