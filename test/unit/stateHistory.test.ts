import assert from 'node:assert/strict';
import { test } from 'node:test';
import { END, HISTORY_RECORD_SIZE, HistoryLog, StateHistory } from '../../src/core/tcp/stateHistory';
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

test('a history read entry by entry equals its entries, and knows the states it reached and whether a reset changed it', () => {
  const log = new HistoryLog();
  const record = new Float64Array(2 * HISTORY_RECORD_SIZE);
  StateHistory.start(log, record, 0, 'LISTEN', 'assumed: a passive open (listening)');
  StateHistory.start(log, record, HISTORY_RECORD_SIZE, 'CLOSED', 'no connection yet');
  const reset = new StateHistory(log, record, 0);
  const closed = new StateHistory(log, record, HISTORY_RECORD_SIZE);
  reset.redefineInitial('CLOSED', 'an active opener too');
  reset.push('SYN_SENT', 1, 10.5, 0, 0, 'sent SYN: active open');
  reset.push('CLOSED', 2, 10.75, 1, 1, 'received RST,ACK: connection refused');
  closed.push('SYN_SENT', 3, 11, 0, 0, 'sent SYN: active open');
  closed.push('ESTABLISHED', 4, 11.25, 1, 1, 'received SYN,ACK');

  for (const history of [reset, closed]) {
    const read = [];
    for (let ref = history.first; ref !== END; ref = history.next(ref)) {
      read.push({ state: history.state(ref), packet: history.packet(ref), time: history.time(ref), reason: history.reason(ref) });
    }
    assert.deepEqual(read, history.entries().map(({ state, packet, time, reason }) => ({ state, packet, time, reason })));
  }
  // The redefined initial state replaces the assumed one: LISTEN was never reached.
  assert.deepEqual(TCP_STATES.filter((s) => reset.reached(s)), ['CLOSED', 'SYN_SENT']);
  assert.deepEqual(TCP_STATES.filter((s) => closed.reached(s)), ['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
  assert.equal(reset.reset, true);
  assert.equal(closed.reset, false);
  assert.deepEqual(reset.current, { state: 'CLOSED', reason: 'received RST,ACK: connection refused' });
  assert.deepEqual(closed.current, { state: 'ESTABLISHED', reason: 'received SYN,ACK' });
  // Entries of one state and reason share their kind; others do not.
  const kinds = (h: StateHistory) => { const k = []; for (let r = h.first; r !== END; r = h.next(r)) k.push(h.kind(r)); return k; };
  assert.equal(kinds(reset)[1], kinds(closed)[1]);
  assert.notEqual(kinds(reset)[2], kinds(closed)[2]);
});
