import { join } from 'node:path';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { jsonReport } from '../../src/core/report/jsonReport';
import { analyzeScenario } from '../../src/core/scenario/analyzeScenario';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario/builtins';
import { analyzeFile, LINUX_FIXTURES, ROOT } from './files';

export const GOLDEN_DIR = join(ROOT, 'test', 'golden');

const DIAGRAMS = ['client_close', 'three_segment_close', 'simultaneous_close', 'simultaneous_open', 'half_close', 'refused', 'rst_abort', 'syn_retransmission', 'midstream'];

/** Every golden file's expected content, generated from the committed fixtures. */
export async function goldenOutputs(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of DIAGRAMS) {
    const analysis = await analyzeFile(join(LINUX_FIXTURES, `${name}.pcap`));
    const text = analysis.connections.flatMap((c) => sequenceDiagram(c).map((p) => p.text)).join('\n');
    out.set(`${name}.mmd`, text);
  }
  const analysis = await analyzeFile(join(LINUX_FIXTURES, 'client_close.pcapng'));
  out.set('client_close.json', `${JSON.stringify(jsonReport('client_close.pcapng', analysis, 120, { segments: true }), null, 2)}\n`);
  // Every built-in lesson's true state histories (the simulator's own), exactly.
  const lessons = Object.fromEntries(BUILTIN_SCENARIOS.map((lesson) => {
    const { simulation } = analyzeScenario(lesson.text);
    return [lesson.name, Object.fromEntries([...simulation!.truth].map(([name, t]) => [name, t.map((e) => `${e.time.toFixed(3)} ${e.state} (${e.reason})`)]))];
  }));
  out.set('scenarios.json', `${JSON.stringify(lessons, null, 2)}\n`);
  return out;
}
