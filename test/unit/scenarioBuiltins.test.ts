import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeScenario } from '../../src/core/scenario/analyzeScenario';
import { BUILTIN_SCENARIOS, builtinScenario } from '../../src/core/scenario/builtins';

const truth = (name: string, who: string) => analyzeScenario(builtinScenario(name)!.text).simulation!.truth.get(who)!.map((t) => t.state);

describe('the built-in scenarios', () => {
  it('every one parses, simulates and gives one connection with an explanation', () => {
    for (const s of BUILTIN_SCENARIOS) {
      const result = analyzeScenario(s.text);
      assert.deepEqual(result.scenarioErrors, [], s.name);
      assert.equal(result.analysis.connections.length, 1, s.name);
      assert.ok(s.explanation.length > 40, s.name);
      assert.equal(result.title, s.title);
    }
  });

  it('the 4-way close follows the RFC, not the seed note: FIN_WAIT_2 after the ACK, TIME_WAIT after the FIN, CLOSED after 2×MSL', () => {
    assert.deepEqual(truth('four-way-close', 'client'), ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    assert.deepEqual(truth('four-way-close', 'server'), ['CLOSED', 'LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('each tricky case shows what it says', () => {
    assert.ok(truth('simultaneous-open', 'client').includes('SYN_RECEIVED'));
    assert.ok(truth('simultaneous-close', 'server').includes('CLOSING'));
    assert.deepEqual(truth('refused', 'client'), ['CLOSED', 'SYN_SENT', 'CLOSED']);
    assert.deepEqual(truth('abort', 'server').slice(-1), ['CLOSED']);
    assert.equal(truth('half-close', 'client').at(-1), 'TIME_WAIT');
    assert.equal(truth('challenge-ack', 'client').at(-1), 'ESTABLISHED');
    const lostSyn = analyzeScenario(builtinScenario('lost-syn')!.text);
    assert.ok(lostSyn.analysis.connections[0]!.segments.some((s) => s.analysis.includes('retransmission')));
  });
});

describe('lessons that need more than the basic calls', () => {
  it('the 3-segment close: one FIN,ACK acknowledges the client\'s FIN and carries the server\'s', () => {
    const result = analyzeScenario(builtinScenario('three-segment-close')!.text);
    const segments = result.analysis.connections[0]!.segments;
    const fins = segments.filter((s) => s.flags & 0x01);
    assert.equal(fins.length, 2);
    assert.equal(fins[1]!.flags, 0x11, 'FIN,ACK');
    assert.equal(segments.length - segments.indexOf(fins[0]!), 3, 'three segments close it');
    const client = result.analysis.connections[0]!.clientHistory;
    assert.equal(client.at(-1)!.packet, client.at(-2)!.packet, 'FIN_WAIT_2 and TIME_WAIT on one segment');
  });

  it('keep-alive: probes one sequence number back, answered by ACKs, which Wireshark\'s rules name', () => {
    const result = analyzeScenario(builtinScenario('keep-alive')!.text);
    const flagged = result.analysis.connections[0]!.segments.map((s) => s.analysis).flat();
    assert.ok(flagged.filter((f) => f === 'keep_alive').length >= 3);
    assert.ok(flagged.filter((f) => f === 'keep_alive_ack').length >= 3);
  });
});

describe('flow control', () => {
  it('a zero window: the window closes, one-byte probes are answered, a window update reopens it (Wireshark\'s names)', () => {
    const result = analyzeScenario(builtinScenario('zero-window')!.text);
    const connection = result.analysis.connections[0]!;
    const flagged = connection.segments.flatMap((s) => s.analysis);
    for (const flag of ['zero_window', 'zero_window_probe', 'zero_window_probe_ack', 'window_update'] as const) {
      assert.ok(flagged.includes(flag), `${flag} in ${[...new Set(flagged)].join(', ')}`);
    }
    const lastFromServer = connection.segments.filter((s) => !s.fromClient).at(-1)!;
    assert.equal(lastFromServer.relAck, 70001, 'every byte got through in the end');
    assert.deepEqual(result.simulation!.truth.get('client')!.at(-1)!.state, 'ESTABLISHED');
  });
});
