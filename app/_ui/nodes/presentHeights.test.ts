import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { presentHeights } from './NodeTable.tsx';

const node = (height: number | null, status: NodeStatus['status'] = 'in-sync') => ({ height, status }) as NodeStatus;

test("a paused table's note names the live heights the way the banner does (its lower end)", () => {
  assert.equal(presentHeights([node(289), node(289)]), 'nodes now at height 289');
  assert.equal(presentHeights([node(288), node(289)]), 'nodes now at heights 288–289');
  assert.equal(presentHeights([node(289), node(12, 'down'), node(null)]), 'nodes now at height 289');
  assert.equal(presentHeights([]), undefined);
});
