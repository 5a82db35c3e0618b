import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepLinePath } from './stepLine.ts';

test('a step line holds each value until the next point, rounded to a tenth of a pixel', () => {
  assert.equal(
    stepLinePath(
      [
        [0, 1],
        [1, 3],
        [2, 2],
      ],
      (t) => t * 10.04,
      (v) => v / 3,
    ),
    'M0,0.3L10,0.3L10,1L20.1,1L20.1,0.7',
  );
});

test('no points draw nothing', () => {
  assert.equal(
    stepLinePath(
      [],
      (t) => t,
      (v) => v,
    ),
    '',
  );
});
