import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { toPrecision } from '../../src/core/tcp/timePrecision';

test('a difference of capture times keeps the digits the times carry', () => {
  // Microsecond times near today's epoch seconds: the difference comes back exact to the microsecond.
  const micros = fc.tuple(fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }), fc.integer({ min: 0, max: 999_999 }),
    fc.integer({ min: 0, max: 10 ** 9 }));
  fc.assert(fc.property(micros, ([seconds, us, gapUs]) => {
    const earlier = seconds + us / 1e6;
    const later = seconds + (us + gapUs) / 1e6;
    assert.equal(toPrecision(later - earlier, later), gapUs / 1e6);
  }), { numRuns: 20_000 });
  // Small times (a scenario's clock, a capture of relative times) keep nanoseconds.
  assert.equal(toPrecision(0.000123456789, 0.5), 0.000123457);
  assert.equal(toPrecision(1.000000001 - 1, 1.000000001), 1e-9);
  assert.ok(Number.isNaN(toPrecision(NaN, NaN)));
  assert.equal(toPrecision(0, 0), 0);
});
