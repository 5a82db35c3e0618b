import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Account, AccountNodeView, AccountTx } from '../../../wire/explorer-api.ts';
import { balanceVerdict, counterparty, readingGroups, rowDifference, signedAmount } from './accountModel.ts';

const node = (name: string, balance: number | null, o: Partial<AccountNodeView> = {}): AccountNodeView => ({
  nodeId: name,
  name,
  status: balance === null ? 'unreachable' : 'reported',
  head: balance === null ? null : { height: 10, hash: 'h' },
  balance,
  nonce: balance === null ? null : 1,
  error: balance === null ? 'node did not answer' : null,
  differs: false,
  ...o,
});
const account = (nodes: AccountNodeView[], agreement: Account['agreement']): Account => ({
  address: 'a'.repeat(64),
  nodeNames: [],
  nodes,
  agreement,
  activity: { sent: 0, received: 0, countCap: 10_000, lastHeight: null },
  readAt: 0,
});

test('the verdict says every node agrees, with the height when they share one', () => {
  assert.deepEqual(balanceVerdict(account([node('node-1', 5), node('node-2', 5)], 'agree')), { tone: 'ok', text: 'All 2 nodes agree at height 10: balance 5, nonce 1.' });
  assert.match(balanceVerdict(account([node('node-1', 999_999_997_411)], 'agree')).text, /balance 999,999,997,411,/);
});

test('the verdict names the nodes that differ and those that did not report', () => {
  const v = balanceVerdict(account([node('node-1', 5), node('node-2', 5), node('node-3', 7, { differs: true }), node('node-4', null)], 'differ'));
  assert.equal(v.tone, 'warn');
  assert.match(v.text, /node-1 and node-2 agree on balance 5, nonce 1, but node-3 holds a different balance or nonce/);
  assert.match(v.text, /node-4 did not report/);
});

test('no reading at all is said, not shown as zero', () => {
  assert.match(balanceVerdict(account([node('node-1', null)], 'unknown')).text, /No node reported this account/);
});

test("a row reads from the account's side", () => {
  const t = { from: 'me', to: 'you', amount: '7', direction: 'out' } as AccountTx;
  assert.equal(signedAmount(t), '−7');
  assert.equal(counterparty(t), 'you');
  assert.equal(signedAmount({ ...t, direction: 'in' }), '+7');
  assert.equal(signedAmount({ ...t, amount: '1234567' }), '−1,234,567');
  assert.equal(counterparty({ ...t, direction: 'in' }), 'me');
});

test('a node whose head is below the others reads an older state: said as such, not as a fork', () => {
  const a = account(
    [node('node-1', 5, { head: { height: 11, hash: 'h' } }), node('node-2', 5, { head: { height: 11, hash: 'h' } }), node('node-3', 7, { differs: true })],
    'differ',
  );
  const v = balanceVerdict(a);
  assert.equal(v.tone, 'neutral');
  assert.match(v.text, /node-3 is at an earlier head/);
  assert.equal(rowDifference(a, a.nodes[2]), 'behind');
  assert.equal(rowDifference(a, a.nodes[0]), null);
  const forked = account([node('node-1', 5), node('node-2', 7, { differs: true, head: { height: 12, hash: 'x' } })], 'differ');
  assert.equal(rowDifference(forked, forked.nodes[1]), 'fork');
});

test('a tie (2|2) names both readings and who holds each, with a letter per reading', () => {
  const a = account(
    [
      node('node-1', 583, { differs: true, nonce: 13 }),
      node('node-2', 583, { differs: true, nonce: 13 }),
      node('node-3', 768, { differs: true, nonce: 11 }),
      node('node-4', 768, { differs: true, nonce: 11 }),
    ],
    'differ',
  );
  assert.equal(
    balanceVerdict(a).text,
    'The nodes disagree, 2 readings and none held by most: node-1 and node-2 read balance 583, nonce 13 (A); node-3 and node-4 read balance 768, nonce 11 (B). Their chains differ (a fork).',
  );
  assert.deepEqual([...readingGroups(a).values()], ['A', 'A', 'B', 'B']);
  assert.equal(readingGroups(account([node('node-1', 5), node('node-2', 5)], 'agree')).size, 0);
});
