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
