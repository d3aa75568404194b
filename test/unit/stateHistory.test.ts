import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HISTORY_RECORD_SIZE, HistoryLog, StateHistory } from '../../src/core/tcp/stateHistory';
import { TCP_STATES } from '../../src/core/tcp/states';

test('histories interleaved in one log read back whole, across many pages', () => {
  const log = new HistoryLog();
  // The histories' numbers share one record array, as endpoints' do in their pool.
  const record = new Float64Array(3 * HISTORY_RECORD_SIZE);
  const histories = Array.from({ length: 3 }, (_, h) => {
    StateHistory.start(log, record, h * HISTORY_RECORD_SIZE, 'CLOSED', `initial ${h}`);
    return new StateHistory(log, record, h * HISTORY_RECORD_SIZE);
  });
  // 200,000 entries: past the first pages (which start small) and past the largest page size.
  for (let i = 0; i < 200_000; i++) {
    histories[i % 3]!.push(TCP_STATES[i % TCP_STATES.length]!, i + 1, 1795000000 + i / 1e6, i, i + 1, `reason ${i % 7}`);
  }
  histories[1]!.redefineInitial('LISTEN', 'assumed');
  histories.forEach((history, h) => {
    const entries = history.entries();
    assert.equal(entries.length, history.length);
    assert.deepEqual(entries[0], { state: h === 1 ? 'LISTEN' : 'CLOSED', packet: null, time: null, segment: null, after: -1, reason: h === 1 ? 'assumed' : `initial ${h}` });
    entries.slice(1).forEach((e, k) => {
      const i = h + 3 * k;
      assert.deepEqual(e, { state: TCP_STATES[i % TCP_STATES.length], packet: i + 1, time: 1795000000 + i / 1e6, segment: i, after: i + 1, reason: `reason ${i % 7}` });
    });
  });
});
