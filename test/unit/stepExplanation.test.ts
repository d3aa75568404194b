import assert from 'node:assert/strict';
import { placeNotes } from '../../src/core/diagram/notePlacement';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENGLISH_STEP_WORDS, ruleOf, stepExplainer, type StepWords } from '../../src/core/explain/stepExplanation';
import { analyzeScenario } from '../../src/core/scenario/analyzeScenario';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario/builtins';
import type { Connection } from '../../src/core/tcp/connection';
import { analyzeFile, LINUX_FIXTURES, ROOT } from '../support/files';

// The Korean phrases as the extension asks VS Code for them: each English one's translation in the bundle.
const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
const KOREAN = Object.fromEntries(Object.entries(ENGLISH_STEP_WORDS).map(([key, english]) => [key, bundle[english] ?? ''])) as StepWords;

async function everyConnection(): Promise<Array<{ name: string; connection: Connection }>> {
  const out: Array<{ name: string; connection: Connection }> = [];
  for (const lesson of BUILTIN_SCENARIOS) {
    for (const connection of analyzeScenario(lesson.text).analysis.connections) out.push({ name: `lesson ${lesson.name}`, connection });
  }
  for (const file of readdirSync(LINUX_FIXTURES).filter((f) => f.endsWith('.pcap'))) {
    for (const connection of (await analyzeFile(join(LINUX_FIXTURES, file), { keepSegments: true })).connections) out.push({ name: file, connection });
  }
  return out;
}

describe('step explanations, made by the model', () => {
  it('explain every state change of every built-in lesson and every real capture, by its rule, in English and Korean', async () => {
    const all = await everyConnection();
    assert.ok(all.length >= BUILTIN_SCENARIOS.length + 17, `${all.length} connections`);
    let changes = 0;
    for (const { name, connection } of all) {
      const english = stepExplainer(connection);
      const korean = stepExplainer(connection, KOREAN);
      for (const [side, history] of [['client', connection.clientHistory], ['server', connection.serverHistory]] as const) {
        history.forEach((entry, i) => {
          if (i === 0 || entry.segment === null) return;
          changes++;
          const from = history[i - 1]!.state;
          const where = `${name} #${connection.id} ${side} ${from} → ${entry.state} (${entry.reason})`;
          const sent = (side === 'client') === connection.segments[entry.segment]!.fromClient;
          assert.notEqual(ruleOf(from, entry.state, sent, entry.reason), 'otherChange', `${where}: no rule of its own`);
          // Shown at the step where the diagram draws its note.
          const at = placeNotes(connection.segments, connection.clientHistory, connection.serverHistory).notes
            .find((n) => n.side === side && n.entries.some((e) => e.segment === entry.segment && e.state === entry.state))!.at;
          const change = new RegExp(`${from} → ${entry.state}, .*\\(RFC 9293 §3\\.10\\.[\\d.]+\\)`);
          assert.match(english(at).text, change, where);
          const text = korean(at).text;
          assert.match(text, change, `${where}, in Korean`);
          assert.match(text, /[가-힣]/, `${where}: Korean words`);
          assert.doesNotMatch(text, /\b(the|receives|sends)\b/, `${where}: no English left in the Korean`);
          assert.equal(english(at)[side], korean(at)[side]);
        });
      }
      // The states after the last step are the histories' last ones caused by a segment.
      const last = english(connection.segments.length - 1);
      for (const side of ['client', 'server'] as const) {
        const history = side === 'client' ? connection.clientHistory : connection.serverHistory;
        assert.equal(last[side], history.filter((e, i) => i === 0 || e.segment !== null).at(-1)!.state, `${name} #${connection.id} ${side} at the end`);
      }
    }
    assert.ok(changes > 150, `${changes} changes explained`);
  });

  it('say what a segment is and what the analysis flags on it mean, as Wireshark names them', async () => {
    const connection = (await analyzeFile(join(LINUX_FIXTURES, 'data_loss.pcap'), { keepSegments: true })).connections[0]!;
    const explain = stepExplainer(connection);
    const retransmitted = connection.segments.find((s) => s.analysis.includes('retransmission') || s.analysis.includes('fast_retransmission'));
    assert.ok(retransmitted, 'the capture has a retransmission');
    assert.match(explain(retransmitted.index).text, /Wireshark: "TCP (Fast )?Retransmission"/);
    const syn = explain(0).text;
    assert.match(syn, /^#1 from the client: SYN; it opens the client's side and fixes its initial sequence number\.\n/);
    const data = connection.segments.find((s) => s.len > 0)!;
    assert.match(explain(data.index).text, new RegExp(`carries ${data.len} bytes of data \\(seq ${data.relSeq}–${data.relSeq + data.len - 1}\\)`));
  });

  it('tell a crossing: the simultaneous close\'s server has received the client\'s FIN by the time its own is seen', () => {
    const connection = analyzeScenario(BUILTIN_SCENARIOS.find((l) => l.name === 'simultaneous-close')!.text).analysis.connections[0]!;
    const explain = stepExplainer(connection);
    assert.equal(explain(3).server, 'ESTABLISHED', 'its FIN not yet seen');
    assert.match(explain(4).text, /The server has received #4 by now: FIN_WAIT_1 → CLOSING, .*\nThe server had sent #5 before #4 arrived: the two crossed in flight\./);
  });
});
