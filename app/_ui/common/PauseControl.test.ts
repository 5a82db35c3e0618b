import { test } from 'node:test';
import assert from 'node:assert/strict';
import { updatesText } from './PauseControl.tsx';

test('the paused note counts updates in words', () => {
  assert.equal(updatesText(0), '0 new updates');
  assert.equal(updatesText(1), '1 new update');
  assert.equal(updatesText(7), '7 new updates');
  assert.equal(updatesText(1, true), '1+ new updates');
});
