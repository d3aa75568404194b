import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { connectionJsonText } from '../../src/core/report/jsonReport';
import { analyzeScenario } from '../../src/core/scenario/analyzeScenario';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario/builtins';
import type { Connection } from '../../src/core/tcp/connection';
import type { HistoryEntry } from '../../src/core/tcp/segment';
import { TCP_STATES } from '../../src/core/tcp/states';
import { analyzeFile, LINUX_FIXTURES, linuxFixtureNames } from '../support/files';

/** What a reader of the Mermaid text sees, line by line: arrows (by packet number and sender), notes, blocks. */
type Line =
  | { kind: 'arrow'; packet: number; from: 'C' | 'S'; lost: boolean }
  | { kind: 'note'; side: 'C' | 'S'; states: string[]; text: string }
  | { kind: 'par' }
  | { kind: 'end' }
  | { kind: 'other' };

const STATE = new RegExp(`\\b(${TCP_STATES.join('|')})\\b`, 'g');

function readDiagram(text: string): Line[] {
  return text.split('\n').map((raw): Line => {
    const line = raw.trim();
    const arrow = /^(C|S)(->>|-->>|-x|--x)(C|S): #35;(\d+) /.exec(line);
    if (arrow) return { kind: 'arrow', from: arrow[1] as 'C' | 'S', packet: Number(arrow[4]), lost: arrow[2]!.endsWith('x') };
    const note = /^Note (left of C|right of S): (.*)$/.exec(line);
    if (note) return { kind: 'note', side: note[1]!.endsWith('C') ? 'C' : 'S', states: [...note[2]!.matchAll(STATE)].map((m) => m[1]!), text: note[2]! };
    if (line.startsWith('par ')) return { kind: 'par' };
    if (line === 'end') return { kind: 'end' };
    return { kind: 'other' };
  });
}

/**
 * Checks one endpoint's history against the diagram as a reader sees it: its notes in its history's order, each
 * state in a note of its own side; a change with a causing packet right after that packet's arrow, with nothing
 * between but the endpoint's own segments, and those only inside a `par` block (drawn as crossing in flight).
 */
function checkSide(lines: Line[], side: 'C' | 'S', history: readonly HistoryEntry[], where: string): void {
  const notes = lines.map((l, i) => ({ l, i })).filter((x) => x.l.kind === 'note' && x.l.side === side);
  let n = 0;
  let k = 0;
  for (const [e, entry] of history.entries()) {
    // The next note of this side that names the state (a note can name several: changes with one cause).
    while (n < notes.length) {
      const states = (notes[n]!.l as Extract<Line, { kind: 'note' }>).states;
      if (k < states.length && states[k] === entry.state) break;
      n++;
      k = 0;
    }
    assert.ok(n < notes.length, `${where}: ${side}'s ${entry.state} (history entry ${e}) has no note in history order`);
    const at = notes[n]!.i;
    k++;
    if (entry.packet === null) continue;
    let cause = -1;
    for (let i = at - 1; i >= 0; i--) {
      const l = lines[i]!;
      if (l.kind === 'arrow' && l.packet === entry.packet) {
        cause = i;
        break;
      }
    }
    assert.ok(cause >= 0, `${where}: ${side}'s ${entry.state} is drawn before its cause #${entry.packet}`);
    const between = lines.slice(cause + 1, at).filter((l) => l.kind === 'arrow') as Array<Extract<Line, { kind: 'arrow' }>>;
    // Arrows of the cause's own branch of a crossing crossed too: the note can only follow the whole crossing.
    const parStart = lines.slice(0, cause + 1).map((l) => l.kind).lastIndexOf('par');
    const inCrossing = parStart >= 0 && !lines.slice(parStart, cause).some((l) => l.kind === 'end');
    const crossingEnd = inCrossing ? lines.findIndex((l, i) => i > cause && l.kind === 'end') : -1;
    const foreign = between.filter((l) => l.from !== side && !(inCrossing && lines.indexOf(l) < crossingEnd));
    assert.deepEqual(foreign.map((l) => l.packet), [], `${where}: ${side}'s ${entry.state} (caused by #${entry.packet}) drawn after other arrows`);
    if (between.length > 0) {
      const opened = lines.slice(0, cause).reduce((depth, l) => (l.kind === 'par' ? depth + 1 : depth), 0);
      const parBefore = lines.slice(0, cause + 1).map((l) => l.kind).lastIndexOf('par');
      assert.ok(opened > 0 && parBefore >= 0 && !lines.slice(parBefore, cause).some((l) => l.kind === 'end'),
        `${where}: ${side}'s ${entry.state} waits for crossing segments ${between.map((l) => `#${l.packet}`)} that are not drawn as crossing`);
    }
  }
}

function checkConnection(connection: Connection, where: string): void {
  const [page, ...more] = sequenceDiagram(connection, { budget: 2000 });
  assert.equal(more.length, 0, `${where}: one page`);
  const lines = readDiagram(page!.text);
  checkSide(lines, 'C', connection.clientHistory, where);
  checkSide(lines, 'S', connection.serverHistory, where);
}

describe('each state change is drawn right after the arrow that caused it', () => {
  for (const lesson of BUILTIN_SCENARIOS) {
    it(`the lesson ${lesson.name}`, () => {
      for (const c of analyzeScenario(lesson.text).analysis.connections) checkConnection(c, `${lesson.name} #${c.id}`);
    });
  }
  for (const name of linuxFixtureNames()) {
    it(`the real capture ${name}`, async () => {
      for (const c of (await analyzeFile(join(LINUX_FIXTURES, `${name}.pcap`))).connections) checkConnection(c, `${name} #${c.id}`);
    });
  }

  it('in the 4-way close, FIN_WAIT_2 is the next note after the ACK of the FIN (#7), before the server\'s data', () => {
    const lesson = BUILTIN_SCENARIOS.find((l) => l.name === 'four-way-close')!;
    const lines = readDiagram(sequenceDiagram(analyzeScenario(lesson.text).analysis.connections[0]!)[0]!.text);
    const ack = lines.findIndex((l) => l.kind === 'arrow' && l.packet === 7);
    const next = lines.slice(ack + 1).find((l) => l.kind === 'note' || l.kind === 'arrow');
    assert.deepEqual(next, { kind: 'note', side: 'C', states: ['FIN_WAIT_2'], text: 'FIN_WAIT_2' });
  });
});

describe('a history says when each state changed', () => {
  const everyConnection = async () => [
    ...BUILTIN_SCENARIOS.flatMap((lesson) => analyzeScenario(lesson.text).analysis.connections.map((c) => ({ c, where: lesson.name }))),
    ...(await Promise.all(linuxFixtureNames().map(async (name) => (await analyzeFile(join(LINUX_FIXTURES, `${name}.pcap`))).connections.map((c) => ({ c, where: name }))))).flat(),
  ];

  it('times in one endpoint\'s history never run backwards, and the JSON report carries the same entries', async () => {
    for (const { c, where } of await everyConnection()) {
      const json = JSON.parse(connectionJsonText(c, false)) as { history: Record<string, Array<{ state: string; packet: number | null; time: number | null }>> };
      for (const [endpoint, history] of [[c.client, c.clientHistory], [c.server, c.serverHistory]] as const) {
        const times = history.map((e) => e.time).filter((t): t is number => t !== null);
        for (let i = 1; i < times.length; i++) assert.ok(times[i]! >= times[i - 1]!, `${where} #${c.id} ${endpoint}: ${times}`);
        assert.deepEqual(json.history[endpoint], history.map((e) => ({ state: e.state, packet: e.packet, time: e.time, reason: e.reason })), `${where} #${c.id}`);
      }
    }
  });

  it('a lesson\'s receiver changes state when the segment arrives: one path delay after the capture saw it leave', () => {
    const [c] = analyzeScenario(BUILTIN_SCENARIOS.find((l) => l.name === 'three-way-handshake')!.text).analysis.connections;
    const received = c!.serverHistory.find((e) => e.state === 'SYN_RECEIVED')!;
    assert.equal(received.packet, 1);
    assert.equal(received.time! - c!.segments[0]!.time, 0.02, 'the lessons\' delay is 20 ms');
  });

  it('in a real capture, the server\'s SYN_RECEIVED lies between its cause leaving the capture point and the answer', async () => {
    const [c] = (await analyzeFile(join(LINUX_FIXTURES, 'client_close.pcap'))).connections;
    const received = c!.serverHistory.find((e) => e.state === 'SYN_RECEIVED')!;
    assert.ok(received.time! > c!.segments[0]!.time && received.time! < c!.segments[1]!.time, `${received.time}`);
  });
});

describe('lost and crossing segments', () => {
  const lessonLines = (name: string) => readDiagram(sequenceDiagram(analyzeScenario(BUILTIN_SCENARIOS.find((l) => l.name === name)!.text).analysis.connections[0]!)[0]!.text);

  it('a lost SYN and a lost FIN end in a cross, and their retransmissions arrive', () => {
    for (const [name, flagsText] of [['lost-syn', 'SYN'], ['lost-fin', 'FIN']] as const) {
      const arrows = lessonLines(name).filter((l) => l.kind === 'arrow') as Array<Extract<Line, { kind: 'arrow' }>>;
      assert.deepEqual(arrows.filter((a) => a.lost).map((a) => a.packet), [name === 'lost-syn' ? 1 : 4], `${name} (${flagsText})`);
    }
  });

  it('a lesson\'s loss of a segment the capture never sees is still drawn (lost on its way to the first endpoint)', () => {
    const text = 'endpoint client 10.0.0.1:41234\nendpoint server 10.0.0.2:80\nserver listen\nclient connect\nlose next server FIN\nserver close\nwait 3s\n';
    const { analysis, simulation } = analyzeScenario(text);
    const arrows = readDiagram(sequenceDiagram(analysis.connections[0]!)[0]!.text).filter((l) => l.kind === 'arrow') as Array<Extract<Line, { kind: 'arrow' }>>;
    const lost = arrows.filter((a) => a.lost);
    assert.equal(lost.length, 1);
    assert.equal(lost[0]!.from, 'S');
    // The capture (what a pcap export holds) has one segment fewer: the interface never saw it.
    assert.equal(simulation!.packets.length, arrows.length - 1);
  });

  it('crossing SYNs and crossing FINs are drawn in a par block, each side\'s next state after it', () => {
    for (const name of ['simultaneous-open', 'simultaneous-close']) {
      const lines = lessonLines(name);
      const par = lines.findIndex((l) => l.kind === 'par');
      assert.ok(par >= 0, name);
      const end = lines.findIndex((l, i) => i > par && l.kind === 'end');
      const inside = lines.slice(par, end).filter((l) => l.kind === 'arrow') as Array<Extract<Line, { kind: 'arrow' }>>;
      assert.deepEqual(inside.map((a) => a.from), ['C', 'S'], `${name}: one segment of each endpoint crossed`);
      const after = lines.slice(end + 1, end + 3) as Array<Extract<Line, { kind: 'note' }>>;
      const expected = name === 'simultaneous-open' ? 'SYN_RECEIVED' : 'CLOSING';
      assert.deepEqual(after.map((n) => [n.kind, n.states[0]]), [['note', expected], ['note', expected]], name);
    }
  });

  it('in a real capture, the copy of a segment its receiver never acknowledged is drawn lost, at the sender\'s side only', async () => {
    const lostIn = async (name: string) => {
      const lines = readDiagram((await analyzeFile(join(LINUX_FIXTURES, `${name}.pcap`))).connections.flatMap((c) => sequenceDiagram(c, { budget: 2000 }).map((p) => p.text)).join('\n'));
      return lines.filter((l) => l.kind === 'arrow' && l.lost).length;
    };
    assert.ok((await lostIn('syn_retransmission')) > 0, 'the unanswered SYNs before the one that got through');
    assert.ok((await lostIn('data_loss')) > 0, 'the data segment lost on its way to the receiver');
    assert.equal(await lostIn('data_loss_at_receiver'), 0, 'captured beside the receiver: a gap, not a lost copy');
  });

  it('a gap the capture missed is said in a note before the segment that follows it', async () => {
    const analysis = await analyzeFile(join(LINUX_FIXTURES, 'data_loss_at_receiver.pcap'));
    const text = analysis.connections.flatMap((c) => sequenceDiagram(c, { budget: 2000 }).map((p) => p.text)).join('\n');
    assert.match(text, /Note over C,S: ⋯ (C→S|S→C) seq \d+–\d+ not captured\n\s+(C|S)-->>(C|S): #35;\d+ [^\n]*lost segment/);
  });
});

describe('labels', () => {
  it('show the window in bytes, scaled as both SYNs agreed', async () => {
    const [c] = (await analyzeFile(join(LINUX_FIXTURES, 'client_close.pcap'))).connections;
    const text = sequenceDiagram(c!)[0]!.text;
    assert.match(text, /#35;1 \S+ SYN seq=0 win=64240 /, 'a SYN\'s window is never scaled');
    assert.match(text, /#35;3 \S+ ACK seq=1 ack=1 win=64512\n/, 'raw 63 × 2^10');
  });

  it('a lesson names its endpoints as the scenario does and carries its title', () => {
    const lesson = BUILTIN_SCENARIOS[0]!;
    const text = sequenceDiagram(analyzeScenario(lesson.text).analysis.connections[0]!)[0]!.text;
    assert.match(text, new RegExp(`title ${lesson.title}\n`));
    assert.match(text, /participant C as client 10\.0\.0\.1:41234\n\s+participant S as server 10\.0\.0\.2:80\n/);
  });
});
