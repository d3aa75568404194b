import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InFlightStore, NO_ARRIVAL } from '../../src/core/tcp/inFlight';
import { RecordPool } from '../../src/core/tcp/recordPool';
import type { Segment } from '../../src/core/tcp/segment';

const segment = (index: number): Segment => ({
  index, packet: index + 1, time: 1795000000 + index / 1e6, fromClient: true, flags: 0x10, seq: 2 ** 32 - 1 - index,
  ack: index, len: index % 1500, window: 0, windowSize: 0, windowShift: -1, options: undefined, relSeq: 0, relAck: 0, analysis: [], anomalies: [],
  truncated: false, via: undefined,
});

test('segments in flight: interleaved queues keep their order while slots are freed, reused and the store grows', () => {
  const store = new InFlightStore();
  const queues = [{ first: NO_ARRIVAL, last: NO_ARRIVAL, expected: [] as number[] }, { first: NO_ARRIVAL, last: NO_ARRIVAL, expected: [] as number[] }];
  const push = (q: (typeof queues)[number], index: number) => {
    q.last = store.append(q.last, segment(index));
    if (q.first === NO_ARRIVAL) q.first = q.last;
    q.expected.push(index);
  };
  const contents = (q: (typeof queues)[number]) => {
    const out: number[] = [];
    for (let ref = q.first; ref !== NO_ARRIVAL; ref = store.next(ref)) out.push(store.arrival(ref).index);
    return out;
  };
  // 1,000 rounds: both queues grow past the store's first size; every third round each gives back its first slot.
  for (let i = 0; i < 1000; i++) {
    push(queues[i % 2]!, i);
    if (i % 3 === 0) {
      for (const q of queues) {
        if (q.first === NO_ARRIVAL) continue;
        q.first = store.release(q.first);
        if (q.first === NO_ARRIVAL) q.last = NO_ARRIVAL;
        q.expected.shift();
      }
    }
  }
  for (const q of queues) assert.deepEqual(contents(q), q.expected);
  const ref = queues[1]!.first;
  const index = queues[1]!.expected[0]!;
  assert.deepEqual({ ...store.arrival(ref) }, { index, packet: index + 1, time: 1795000000 + index / 1e6, flags: 0x10, seq: 2 ** 32 - 1 - index, ack: index, len: index % 1500 });
});

test('a record pool hands out records that do not overlap, filled with NaN, across pages', () => {
  const pool = new RecordPool(5, 16);
  const records = Array.from({ length: 100 }, () => pool.allocate());
  records.forEach(({ page, at }, i) => {
    for (let k = 0; k < 5; k++) assert.ok(Number.isNaN(page[at + k]!));
    page.fill(i, at, at + 5);
  });
  records.forEach(({ page, at }, i) => assert.deepEqual([...page.subarray(at, at + 5)], [i, i, i, i, i]));
});
