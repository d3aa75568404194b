import { FIN, RST, SYN } from '../decode/tcpHeader';
import type { HistoryEntry, Segment } from '../tcp/segment';
import type { TcpState } from '../tcp/states';
import { mermaidLabel } from './mermaidText';
import { segmentLabel } from './segmentLabel';

/** What a diagram needs of a connection; captures and simulated scenarios both provide it. */
export interface ConnectionView {
  id: number;
  client: string;
  server: string;
  segments: readonly Segment[];
  clientHistory: readonly HistoryEntry[];
  serverHistory: readonly HistoryEntry[];
}

export interface DiagramOptions {
  /** Most messages and notes on one page (default 300): Mermaid slows sharply and has a text limit beyond that. */
  budget?: number;
  relative?: boolean;
  /** Seconds: TIME_WAIT notes say how long it lasts. */
  msl?: number;
  /**
   * How each arrow shows its time: seconds since the connection's first segment (default), since the previous segment,
   * the capture's absolute UTC time, or not at all.
   */
  timeFormat?: TimeFormat;
}

export type TimeFormat = 'relative' | 'delta' | 'absolute' | 'none';

export interface DiagramPage {
  page: number;
  pages: number;
  text: string;
  /** Segment indexes the page covers (inclusive), or -1 when it has none. */
  firstSegment: number;
  lastSegment: number;
  /** Messages and notes on the page. */
  items: number;
}

type Side = 'client' | 'server';

type Item =
  | { kind: 'segment'; segment: Segment }
  | { kind: 'summary'; segments: Segment[] }
  | { kind: 'state'; side: Side; entries: HistoryEntry[] }
  | { kind: 'open'; label: string }
  | { kind: 'close' };

const DEFAULT_BUDGET = 300;
const MIN_BUDGET = 10;
const GROUP_FILL = 'rect rgba(127, 127, 127, 0.12)';

/**
 * A Mermaid sequence diagram of one connection, split into pages of at most `budget` messages and notes. When the
 * whole connection does not fit on one page, runs of plain data/ACK segments (no SYN/FIN/RST, no analysis flag, no
 * anomaly, no state change) collapse into one summary note each, before anything is split.
 */
export function sequenceDiagram(connection: ConnectionView, options: DiagramOptions = {}): DiagramPage[] {
  const budget = Math.max(MIN_BUDGET, Math.floor(options.budget ?? DEFAULT_BUDGET));
  const context: RenderContext = {
    relative: options.relative ?? true,
    msl: options.msl ?? 120,
    startTime: connection.segments[0]?.time ?? 0,
    timeFormat: options.timeFormat ?? 'relative',
  };
  let items = buildItems(connection, false);
  if (countItems(items) > budget) items = buildItems(connection, true);
  const pages = paginate(items, budget - 1);
  return pages.map((page, i) => renderPage(connection, page, i, pages.length, context));
}

interface RenderContext {
  relative: boolean;
  msl: number;
  startTime: number;
  timeFormat: TimeFormat;
}

function buildItems(connection: ConnectionView, collapse: boolean): Item[] {
  const { segments } = connection;
  const notesAfter = new Map<number, Array<{ side: Side; entry: HistoryEntry }>>();
  const addNotes = (side: Side, history: readonly HistoryEntry[]) => {
    history.forEach((entry, i) => {
      if (i === 0) return;
      const at = Math.min(entry.after, segments.length - 1);
      if (!notesAfter.has(at)) notesAfter.set(at, []);
      notesAfter.get(at)!.push({ side, entry });
    });
  };
  addNotes('client', connection.clientHistory);
  addNotes('server', connection.serverHistory);
  const { handshakeEnd, teardownStart } = phases(connection);

  const items: Item[] = [];
  const pushNotes = (at: number) => {
    const notes = notesAfter.get(at) ?? [];
    for (const side of ['client', 'server'] as const) {
      const entries = notes.filter((n) => n.side === side).map((n) => n.entry);
      if (entries.length) items.push({ kind: 'state', side, entries });
    }
  };
  items.push({ kind: 'state', side: 'client', entries: [connection.clientHistory[0]!] });
  items.push({ kind: 'state', side: 'server', entries: [connection.serverHistory[0]!] });
  pushNotes(-1);
  let run: Segment[] = [];
  const flush = () => {
    if (run.length >= 2) items.push({ kind: 'summary', segments: run });
    else for (const segment of run) items.push({ kind: 'segment', segment });
    run = [];
  };
  for (const segment of segments) {
    const i = segment.index;
    const boundary = i === 0 || i === teardownStart || i === handshakeEnd;
    const plain = !boundary && !(segment.flags & (SYN | FIN | RST)) && segment.analysis.length === 0 &&
      segment.anomalies.length === 0 && !notesAfter.has(i) && !notesAfter.has(i - 1);
    if (collapse && plain) {
      run.push(segment);
      continue;
    }
    flush();
    if (i === 0 && handshakeEnd >= 0) items.push({ kind: 'open', label: 'connection set-up' });
    if (i === teardownStart) items.push({ kind: 'open', label: 'teardown' });
    items.push({ kind: 'segment', segment });
    pushNotes(i);
    // The teardown group stays open to the end; paginate() closes whatever is open.
    if (i === handshakeEnd) items.push({ kind: 'close' });
  }
  flush();
  return items;
}

/** The set-up ends where both endpoints are ESTABLISHED (or with the last leading SYN); teardown starts at the first FIN or RST after it. */
function phases(connection: ConnectionView): { handshakeEnd: number; teardownStart: number } {
  const { segments } = connection;
  if (!segments.length || !(segments[0]!.flags & SYN)) {
    const first = segments.findIndex((s) => s.flags & (FIN | RST));
    return { handshakeEnd: -1, teardownStart: first };
  }
  const established = (h: readonly HistoryEntry[]) => h.find((e) => e.state === 'ESTABLISHED');
  const c = established(connection.clientHistory);
  const s = established(connection.serverHistory);
  let handshakeEnd: number;
  if (c && s) {
    handshakeEnd = Math.min(Math.max(c.after, s.after), segments.length - 1);
  } else {
    handshakeEnd = 0;
    while (handshakeEnd + 1 < segments.length && segments[handshakeEnd + 1]!.flags & (SYN | RST)) handshakeEnd++;
  }
  // A teardown that begins inside the set-up (a refused SYN's RST) is drawn as part of it.
  const teardownStart = segments.findIndex((seg, i) => i > handshakeEnd && seg.flags & (FIN | RST));
  return { handshakeEnd, teardownStart };
}

function countItems(items: Item[]): number {
  return items.filter((i) => i.kind !== 'close').length;
}

function paginate(items: Item[], perPage: number): Item[][] {
  const pages: Item[][] = [];
  let page: Item[] = [];
  let count = 0;
  let open: Item | undefined;
  for (const item of items) {
    const weight = item.kind === 'close' ? 0 : 1;
    if (count + weight > perPage || (item.kind === 'open' && count + 2 > perPage)) {
      if (open) page.push({ kind: 'close' });
      pages.push(page);
      page = open ? [open] : [];
      count = open ? 1 : 0;
    }
    page.push(item);
    count += weight;
    if (item.kind === 'open') open = item;
    if (item.kind === 'close') open = undefined;
  }
  if (open) page.push({ kind: 'close' });
  pages.push(page);
  return pages;
}

function renderPage(connection: ConnectionView, items: Item[], index: number, pages: number, context: RenderContext): DiagramPage {
  const lines = ['sequenceDiagram'];
  const suffix = pages > 1 ? ` (page ${index + 1} of ${pages})` : '';
  lines.push(`  title ${mermaidLabel(`Connection ${connection.id}: ${connection.client} → ${connection.server}${suffix}`)}`);
  lines.push(`  participant C as ${mermaidLabel(connection.client)}`);
  lines.push(`  participant S as ${mermaidLabel(connection.server)}`);
  let first = -1;
  let last = -1;
  let count = 0;
  if (index > 0) {
    const firstSegment = items.find((i) => i.kind === 'segment' || i.kind === 'summary');
    const at = firstSegment?.kind === 'segment' ? firstSegment.segment.index : firstSegment?.kind === 'summary' ? firstSegment.segments[0]!.index : 0;
    const stateAt = (h: readonly HistoryEntry[]) => [...h].reverse().find((e) => e.after < at)?.state ?? h[0]!.state;
    lines.push(`  Note over C,S: ${mermaidLabel(`continued: client ${stateAt(connection.clientHistory)}, server ${stateAt(connection.serverHistory)}`)}`);
    count++;
  }
  const mark = (n: number) => {
    if (first < 0) first = n;
    last = n;
  };
  for (const item of items) {
    switch (item.kind) {
      case 'open':
        lines.push(`  ${GROUP_FILL}`, `  Note over C,S: ${item.label}`);
        count++;
        break;
      case 'close':
        lines.push('  end');
        break;
      case 'segment': {
        const s = item.segment;
        mark(s.index);
        const marked = s.analysis.length > 0 || s.anomalies.length > 0;
        const arrow = marked ? '-->>' : '->>';
        const marks = [...s.analysis.map((a) => (a === 'duplicate_ack' && s.dupAckNum ? `dup ack #${s.dupAckNum}` : a.replace(/_/g, ' '))), ...s.anomalies];
        const previous = connection.segments[s.index - 1]?.time ?? s.time;
        const time = timeText(s.time, previous, context);
        const text = `${time ? `${time} ` : ''}${segmentLabel(s, context)}${marks.length ? ` ⚠ ${marks.join('; ')}` : ''}`;
        lines.push(`  ${s.fromClient ? 'C' : 'S'}${arrow}${s.fromClient ? 'S' : 'C'}: ${mermaidLabel(`#${s.packet} ${text}`)}`);
        count++;
        break;
      }
      case 'summary': {
        mark(item.segments[0]!.index);
        mark(item.segments.at(-1)!.index);
        lines.push(`  Note over C,S: ${mermaidLabel(summaryText(item.segments, context))}`);
        count++;
        break;
      }
      case 'state': {
        const text = item.entries.map((e) => stateText(e.state, context)).join(' → ');
        lines.push(`  Note ${item.side === 'client' ? 'left of C' : 'right of S'}: ${mermaidLabel(text)}`);
        count++;
        break;
      }
    }
  }
  return { page: index + 1, pages, text: lines.join('\n') + '\n', firstSegment: first, lastSegment: last, items: count };
}

function stateText(state: TcpState, context: RenderContext): string {
  return state === 'TIME_WAIT' ? `TIME_WAIT (2×MSL = ${2 * context.msl} s; Linux: 60 s)` : state;
}

function timeText(time: number, previous: number, context: RenderContext): string {
  switch (context.timeFormat) {
    case 'none':
      return '';
    case 'absolute':
      return Number.isFinite(time) ? `${new Date(time * 1000).toISOString().slice(11, 23)}Z` : '';
    case 'delta':
      return Number.isFinite(time - previous) ? `Δ${(time - previous).toFixed(6)}s` : '';
    default:
      return offsetText(time - context.startTime);
  }
}

function offsetText(seconds: number): string {
  return Number.isFinite(seconds) ? `+${seconds.toFixed(6)}s` : '';
}

function summaryText(segments: Segment[], context: RenderContext): string {
  const describe = (fromClient: boolean) => {
    const own = segments.filter((s) => s.fromClient === fromClient);
    if (!own.length) return undefined;
    const bytes = own.reduce((n, s) => n + s.len, 0);
    const seq = (s: Segment) => (context.relative ? s.relSeq : s.seq);
    const range = bytes > 0 ? `, seq ${seq(own[0]!)}–${seq(own.at(-1)!) + own.at(-1)!.len}` : '';
    return `${fromClient ? 'C→S' : 'S→C'} ${own.length} (${bytes} bytes${range})`;
  };
  const parts = [describe(true), describe(false)].filter((p): p is string => p !== undefined);
  const span = `${offsetText(segments[0]!.time - context.startTime)} … ${offsetText(segments.at(-1)!.time - context.startTime)}`;
  return `⋯ #${segments[0]!.packet}–#${segments.at(-1)!.packet}: ${segments.length} plain data/ACK segments: ${parts.join('; ')} (${span})`;
}
