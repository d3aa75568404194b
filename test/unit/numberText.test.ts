import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { numberText } from '../../src/core/report/jsonReport';

test('numbers are written as String(n) writes them, capture times included', () => {
  // Times as the capture readers make them: seconds plus micro- or nanoseconds, in several ways of adding them up.
  const time = fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 999_999_999 }));
  fc.assert(fc.property(time, ([seconds, nanos]) => {
    for (const n of [seconds + Math.floor(nanos / 1000) / 1e6, seconds + nanos / 1e9, seconds + Math.floor(nanos / 1000) * 1e-6]) {
      assert.equal(numberText(n), String(n));
    }
  }), { numRuns: 20_000 });
  // Durations: differences of times, rounded to nanoseconds.
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 52 }), (nanos) => {
    const n = nanos / 1e9;
    assert.equal(numberText(n), String(n));
  }), { numRuns: 20_000 });
  fc.assert(fc.property(fc.double({ noNaN: true }), (n) => assert.equal(numberText(n), String(n))), { numRuns: 20_000 });
  for (const n of [0, -0, 1e-6, 1e-7, 1e-9, 1e-10, 0.5, 0.000001, 0.1 + 0.2, 0.043605, 0.043605089, 2 ** 22 - 1e-9, 2 ** 22 + 0.5,
    2 ** 31 - 1e-6, 2 ** 31, 2 ** 31 + 0.5, 1795000000.00001, 1e21, -1.5]) {
    assert.equal(numberText(n), String(n), String(n));
  }
});
