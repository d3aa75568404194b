import { FIN, RST, SYN } from '../decode/tcpHeader';
import { isInjected } from '../tcp/endpointModel';
import { lostCopies } from '../tcp/lostSegments';
import { sequenceLength, type HistoryEntry, type Segment } from '../tcp/segment';
import { seqGt } from '../tcp/seq';
import { ENGLISH_WORDS, fill, type DiagramWords } from './diagramWords';
import { mermaidLabel } from './mermaidText';
import { placeNotes, type Crossing, type PlacedNote, type Side } from './notePlacement';
import { segmentLabel } from './segmentLabel';
import { TIME_WAIT_OVER, timeWaitOf } from '../scenario/profiles';

/** What a diagram needs of a connection; captures and simulated scenarios both provide it. */
export interface ConnectionView {
  id: number;
  client: string;
  server: string;
  segments: readonly Segment[];
  clientHistory: readonly HistoryEntry[];
  serverHistory: readonly HistoryEntry[];
  /** A scenario's names for its endpoints (`client`, `server`) and its title. */
  clientName?: string | undefined;
  serverName?: string | undefined;
  title?: string | undefined;
  /** Segments known never to have arrived (a simulation knows); otherwise inferred from the capture. */
  lost?: ReadonlySet<number> | undefined;
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
  /** The phrases the diagram writes (English by default). */
  words?: DiagramWords;
  /**
   * Why a damaged capture could not be read past a point (its read error): a connection still going there (an
   * endpoint not CLOSED, in TIME_WAIT or back in LISTEN) ends its diagram with a note saying so.
   */
  brokenOff?: string | undefined;
  /** Arrows labelled with flags, numbers and length only (see LabelOptions). */
  compact?: boolean;
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
  /** For each note on the page, in the order drawn: the segment index that caused the state change it shows, or -1. */
  noteCauses: number[];
  /**
   * For each note on the page, in the order drawn: the first and last segment index it stands for (a summary of
   * segments not drawn one by one), or null.
   */
  noteSpans: Array<[number, number] | null>;
}

type Item =
  | { kind: 'segment'; segment: Segment; lost: boolean }
  | { kind: 'summary'; segments: Segment[] }
  | { kind: 'state'; note: PlacedNote }
  | { kind: 'initial'; side: Side; entry: HistoryEntry }
  | { kind: 'gap'; segment: Segment; from: number }
  | { kind: 'crossing'; first: Segment; last: Segment; branches: [Item[], Item[]] }
  | { kind: 'open'; label: string }
  | { kind: 'close' }
  | { kind: 'brokenOff'; message: string };

const DEFAULT_BUDGET = 300;
/** The states in which an endpoint is done with a connection. */
const DONE = new Set(['CLOSED', 'TIME_WAIT', 'LISTEN']);
const MIN_BUDGET = 10;
const GROUP_FILL = 'rect rgba(127, 127, 127, 0.12)';
/** Runs shorter than this stay drawn segment by segment: a summary of a few arrows reads worse than the arrows. */
const MIN_RUN = 8;
/**
 * Crossings of more segments than this are not drawn as a `par` block (its two branches would drift apart); their
 * notes still come after them, naming the segment that arrived.
 */
const MOST_IN_PAR = 12;

/**
 * A Mermaid sequence diagram of one connection, split into pages of at most `budget` messages and notes. Each state
 * change is a note right after the arrow that caused it (see placeNotes); segments that crossed in flight are drawn
 * side by side in a `par` block; lost copies end in a cross. When the whole connection does not fit on one page, runs
 * of at least MIN_RUN plain data/ACK segments (no SYN/FIN/RST, no analysis flag, no anomaly, no state change) collapse
 * into one summary note each, before anything is split.
 */
export function sequenceDiagram(connection: ConnectionView, options: DiagramOptions = {}): DiagramPage[] {
  const budget = Math.max(MIN_BUDGET, Math.floor(options.budget ?? DEFAULT_BUDGET));
  const context: RenderContext = {
    relative: options.relative ?? true,
    msl: options.msl ?? 120,
    startTime: connection.segments[0]?.time ?? 0,
    timeFormat: options.timeFormat ?? 'relative',
    words: options.words ?? ENGLISH_WORDS,
    compact: options.compact ?? false,
  };
  const layout = layoutOf(connection, Math.floor((budget - 3) / 2));
  let items = buildItems(connection, layout, false, context.words);
  if (countItems(items) > budget) items = buildItems(connection, layout, true, context.words);
  const going = [connection.clientHistory, connection.serverHistory].some((h) => !DONE.has(h.at(-1)?.state ?? 'CLOSED'));
  if (options.brokenOff && going) {
    // After the teardown's block, if it was still open: the break is not part of the teardown.
    const lastBlock = [...items].reverse().find((i) => i.kind === 'open' || i.kind === 'close');
    if (lastBlock?.kind === 'open') items.push({ kind: 'close' });
    items.push({ kind: 'brokenOff', message: options.brokenOff });
  }
  const pages = paginate(items, budget - 1);
  return pages.map((page, i) => renderPage(connection, layout, page, i, pages.length, context));
}

interface RenderContext {
  relative: boolean;
  msl: number;
  startTime: number;
  timeFormat: TimeFormat;
  words: DiagramWords;
  compact: boolean;
}

/** Where everything goes, worked out once for the whole connection. */
interface Layout {
  notesAfter: Map<number, PlacedNote[]>;
  notes: PlacedNote[];
  /** Crossings drawn as `par` blocks, by their first segment. */
  crossingAt: Map<number, Crossing>;
  /** Segments that belong to a crossing (drawn or not): never collapsed. */
  crossed: Set<number>;
  lost: ReadonlySet<number>;
  handshakeEnd: number;
  teardownStart: number;
}

function layoutOf(connection: ConnectionView, mostInPar: number): Layout {
  const { segments } = connection;
  const { notes, crossings } = placeNotes(segments, connection.clientHistory, connection.serverHistory);
  const notesAfter = new Map<number, PlacedNote[]>();
  for (const note of notes) {
    if (!notesAfter.has(note.at)) notesAfter.set(note.at, []);
    notesAfter.get(note.at)!.push(note);
  }
  // The sender's notes first (it changed first), then the receiver's; each endpoint's in its history's order.
  for (const [at, list] of notesAfter) {
    const sender: Side | undefined = segments[at] ? (segments[at]!.fromClient ? 'client' : 'server') : undefined;
    list.sort((a, b) => Number(a.side !== sender) - Number(b.side !== sender));
  }
  const crossed = new Set<number>();
  for (const c of crossings) for (let i = c.first; i <= c.last; i++) crossed.add(i);
  // A block is drawn whole on one page: its arrows and notes must fit in half of one.
  const weightOf = (c: Crossing) => {
    let n = 0;
    for (let i = c.first; i <= c.last; i++) n += 1 + (notesAfter.get(i)?.length ?? 0);
    return n;
  };
  const drawn = crossings.filter((c) => c.last - c.first + 1 <= MOST_IN_PAR && weightOf(c) <= mostInPar);
  let { handshakeEnd, teardownStart } = phases(connection, notes);
  // A crossing is drawn whole inside one phase: the set-up or teardown band grows to hold it.
  for (const c of drawn) {
    if (c.first <= handshakeEnd && handshakeEnd < c.last) handshakeEnd = c.last;
    if (c.first < teardownStart && teardownStart <= c.last) teardownStart = c.first;
  }
  if (teardownStart >= 0 && teardownStart <= handshakeEnd) teardownStart = segments.findIndex((s, i) => i > handshakeEnd && closes(s));
  return {
    notesAfter, notes, crossingAt: new Map(drawn.map((c) => [c.first, c])), crossed,
    lost: connection.lost ?? lostCopies(segments), handshakeEnd, teardownStart,
  };
}

function buildItems(connection: ConnectionView, layout: Layout, collapse: boolean, words: DiagramWords): Item[] {
  const { segments } = connection;
  const { notesAfter, handshakeEnd, teardownStart } = layout;
  const items: Item[] = [];
  const notesAt = (at: number, into: Item[], filter: (n: PlacedNote) => boolean = () => true) => {
    for (const note of notesAfter.get(at) ?? []) if (filter(note)) into.push({ kind: 'state', note });
  };
  items.push({ kind: 'initial', side: 'client', entry: connection.clientHistory[0]! });
  items.push({ kind: 'initial', side: 'server', entry: connection.serverHistory[0]! });
  notesAt(-1, items);
  // Per direction, where the sequence space seen so far ends: a gap before a segment is data the capture missed.
  const seenEnd: Array<number | undefined> = [undefined, undefined];
  const segmentItems = (segment: Segment, into: Item[]) => {
    const d = segment.fromClient ? 0 : 1;
    if (segment.analysis.includes('lost_segment') && seenEnd[d] !== undefined) into.push({ kind: 'gap', segment, from: seenEnd[d]! });
    const end = segment.seq + sequenceLength(segment.flags, segment.len);
    if (seenEnd[d] === undefined || seqGt(end >>> 0, seenEnd[d]!)) seenEnd[d] = end >>> 0;
    into.push({ kind: 'segment', segment, lost: layout.lost.has(segment.index) });
  };
  let run: Segment[] = [];
  const flush = () => {
    if (run.length >= MIN_RUN) items.push({ kind: 'summary', segments: run });
    else for (const segment of run) segmentItems(segment, items);
    run = [];
  };
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const boundary = i === 0 || i === teardownStart || i === handshakeEnd;
    const plain = !boundary && !(segment.flags & (SYN | FIN | RST)) && segment.analysis.length === 0 &&
      segment.anomalies.length === 0 && !notesAfter.has(i) && !layout.crossed.has(i) && !layout.lost.has(i);
    if (collapse && plain) {
      run.push(segment);
      continue;
    }
    flush();
    if (i === 0 && handshakeEnd >= 0) items.push({ kind: 'open', label: words.setUp });
    if (i === teardownStart) items.push({ kind: 'open', label: words.teardown });
    const crossing = layout.crossingAt.get(i);
    const start = i;
    if (crossing) {
      // Both endpoints' segments of the crossing side by side, each with the notes its sending caused; the notes of
      // what arrived once they had crossed come after the block.
      const branches: [Item[], Item[]] = [[], []];
      for (let j = crossing.first; j <= crossing.last; j++) {
        const branch = branches[segments[j]!.fromClient ? 0 : 1];
        segmentItems(segments[j]!, branch);
        notesAt(j, branch, (n) => j < crossing.last || n.receivedFrom === undefined);
      }
      items.push({ kind: 'crossing', first: segment, last: segments[crossing.last]!, branches });
      notesAt(crossing.last, items, (n) => n.receivedFrom !== undefined);
      i = crossing.last;
    } else {
      segmentItems(segment, items);
      notesAt(i, items);
    }
    // The teardown group stays open to the end; paginate() closes whatever is open.
    if (handshakeEnd >= start && handshakeEnd <= i) items.push({ kind: 'close' });
  }
  flush();
  return items;
}

/**
 * The set-up ends where both endpoints are ESTABLISHED (or with the last leading SYN); teardown starts at the first
 * FIN or RST after it.
 */
function phases(connection: ConnectionView, notes: readonly PlacedNote[]): { handshakeEnd: number; teardownStart: number } {
  const { segments } = connection;
  if (!segments.length || !(segments[0]!.flags & SYN)) {
    const first = segments.findIndex(closes);
    return { handshakeEnd: -1, teardownStart: first };
  }
  const established = (side: Side) => notes.find((n) => n.side === side && n.entries.some((e) => e.state === 'ESTABLISHED'));
  const c = established('client');
  const s = established('server');
  let handshakeEnd: number;
  if (c && s) {
    handshakeEnd = Math.min(Math.max(c.at, s.at), segments.length - 1);
  } else {
    handshakeEnd = 0;
    while (handshakeEnd + 1 < segments.length && segments[handshakeEnd + 1]!.flags & (SYN | RST)) handshakeEnd++;
  }
  // A teardown that begins inside the set-up (a refused SYN's RST) is drawn as part of it.
  const teardownStart = segments.findIndex((seg, i) => i > handshakeEnd && closes(seg));
  return { handshakeEnd, teardownStart };
}

/** Whether the segment begins a teardown: a FIN, or an RST its sender sent (an injected one closes nothing). */
function closes(segment: ConnectionView['segments'][number]): boolean {
  return (segment.flags & FIN) !== 0 || ((segment.flags & RST) !== 0 && !isInjected(segment));
}

/** Messages and notes an item draws. */
function weight(item: Item): number {
  if (item.kind === 'close') return 0;
  if (item.kind === 'crossing') return item.branches.flat().reduce((n, i) => n + weight(i), 0);
  return 1;
}

function countItems(items: Item[]): number {
  return items.reduce((n, i) => n + weight(i), 0);
}

function paginate(items: Item[], perPage: number): Item[][] {
  const pages: Item[][] = [];
  let page: Item[] = [];
  let count = 0;
  let open: Item | undefined;
  for (const item of items) {
    const w = weight(item);
    if (count > 0 && (count + w > perPage || (item.kind === 'open' && count + 2 > perPage))) {
      if (open) page.push({ kind: 'close' });
      pages.push(page);
      page = open ? [open] : [];
      count = open ? 1 : 0;
    }
    page.push(item);
    count += w;
    if (item.kind === 'open') open = item;
    if (item.kind === 'close') open = undefined;
  }
  if (open) page.push({ kind: 'close' });
  pages.push(page);
  return pages;
}

/**
 * Where an endpoint's state notes go: outside its lifeline (the client's left, the server's right), or, compact, over it,
 * which keeps the diagram no wider than its arrows.
 */
function beside(side: 'client' | 'server', context: RenderContext): string {
  if (context.compact) return side === 'client' ? 'over C' : 'over S';
  return side === 'client' ? 'left of C' : 'right of S';
}

function renderPage(connection: ConnectionView, layout: Layout, items: Item[], index: number, pages: number, context: RenderContext): DiagramPage {
  const lines = ['sequenceDiagram'];
  const { words } = context;
  const title = connection.title ?? fill(words.title, connection.id, connection.client, connection.server);
  lines.push(`  title ${mermaidLabel(pages > 1 ? fill(words.page, title, index + 1, pages) : title)}`);
  const name = (role: string | undefined, address: string) => mermaidLabel(role ? `${role} ${address}` : address);
  lines.push(`  participant C as ${name(connection.clientName, connection.client)}`);
  lines.push(`  participant S as ${name(connection.serverName, connection.server)}`);
  let first = -1;
  let last = -1;
  let count = 0;
  const noteCauses: number[] = [];
  const noteSpans: Array<[number, number] | null> = [];
  /** A note line, what caused it, and the segments it stands for. */
  const note = (line: string, cause = -1, span: [number, number] | null = null) => {
    lines.push(line);
    noteCauses.push(cause);
    noteSpans.push(span);
    count++;
  };
  if (index > 0) {
    const at = firstSegmentOf(items) ?? 0;
    const stateAt = (side: Side, history: readonly HistoryEntry[]) =>
      layout.notes.filter((n) => n.side === side && n.at < at).at(-1)?.entries.at(-1)?.state ?? history[0]!.state;
    note(`  Note over C,S: ${mermaidLabel(fill(words.continued, stateAt('client', connection.clientHistory), stateAt('server', connection.serverHistory)))}`);
  }
  const mark = (n: number) => {
    if (first < 0) first = n;
    last = n;
  };
  const render = (item: Item, indent: string) => {
    switch (item.kind) {
      case 'open':
        lines.push(`${indent}${GROUP_FILL}`);
        note(`${indent}Note over C,S: ${item.label}`);
        break;
      case 'close':
        lines.push(`${indent}end`);
        break;
      case 'crossing': {
        const label = fill(words.crossed, item.first.packet, item.last.packet);
        lines.push(`${indent}par ${mermaidLabel(label)}`);
        item.branches[0].forEach((i) => render(i, `${indent}  `));
        lines.push(`${indent}and`);
        item.branches[1].forEach((i) => render(i, `${indent}  `));
        lines.push(`${indent}end`);
        break;
      }
      case 'segment': {
        const s = item.segment;
        mark(s.index);
        const marked = s.analysis.length > 0 || s.anomalies.length > 0;
        const arrow = item.lost ? (marked ? '--x' : '-x') : marked ? '-->>' : '->>';
        const marks = [...s.analysis.map((a) => (a === 'duplicate_ack' && s.dupAckNum ? fill(words.dupAck, s.dupAckNum) : a.replace(/_/g, ' '))), ...s.anomalies];
        const previous = connection.segments[s.index - 1]?.time ?? s.time;
        const time = timeText(s.time, previous, context);
        const text = `${time ? `${time} ` : ''}${segmentLabel(s, context)}${item.lost ? ` ${words.lost}` : ''}${marks.length ? ` ⚠ ${marks.join('; ')}` : ''}`;
        lines.push(`${indent}${s.fromClient ? 'C' : 'S'}${arrow}${s.fromClient ? 'S' : 'C'}: ${mermaidLabel(`#${s.packet} ${text}`)}`);
        count++;
        break;
      }
      case 'gap': {
        const s = item.segment;
        const base = context.relative ? s.seq - s.relSeq : 0;
        const from = (item.from - base) >>> 0;
        const to = (s.seq - base) >>> 0;
        note(`${indent}Note over C,S: ${mermaidLabel(fill(words.notCaptured, s.fromClient ? 'C→S' : 'S→C', from, to))}`);
        break;
      }
      case 'summary': {
        const span: [number, number] = [item.segments[0]!.index, item.segments.at(-1)!.index];
        mark(span[0]);
        mark(span[1]);
        note(`${indent}Note over C,S: ${mermaidLabel(summaryText(item.segments, words))}`, -1, span);
        break;
      }
      case 'initial':
        note(`${indent}Note ${beside(item.side, context)}: ${mermaidLabel(item.entry.state)}`);
        break;
      case 'brokenOff':
        note(`${indent}Note over C,S: ${mermaidLabel(fill(words.brokenOff, item.message))}`);
        break;
      case 'state': {
        const placed = item.note;
        const text = placed.entries.map((e) => stateText(e, context)).join(' → ');
        // A change drawn after segments that crossed its cause names the cause.
        const delayed = placed.receivedFrom !== undefined && placed.at > placed.receivedFrom;
        const shown = delayed ? fill(words.arrived, text, connection.segments[placed.receivedFrom!]!.packet) : text;
        // Compact, what a state note says of it in brackets goes on a line of its own (TIME_WAIT / (Linux: 60 s)).
        const label = context.compact ? mermaidLabel(shown).replace(' (', '<br/>(') : mermaidLabel(shown);
        note(`${indent}Note ${beside(placed.side, context)}: ${label}`, placed.entries[0]!.segment ?? -1);
        break;
      }
    }
  };
  for (const item of items) render(item, '  ');
  return { page: index + 1, pages, text: lines.join('\n') + '\n', firstSegment: first, lastSegment: last, items: count, noteCauses, noteSpans };
}

/** The index of the first segment an item list draws. */
function firstSegmentOf(items: readonly Item[]): number | undefined {
  for (const item of items) {
    if (item.kind === 'segment') return item.segment.index;
    if (item.kind === 'summary') return item.segments[0]!.index;
    if (item.kind === 'crossing') return item.first.index;
  }
  return undefined;
}

function stateText(entry: HistoryEntry, context: RenderContext): string {
  const time = entry.time === null ? '' : offsetText(entry.time - context.startTime);
  // How long it lasts here; the CLOSED that ends it (when the observation runs that long) says when.
  if (entry.state === 'TIME_WAIT') {
    const own = timeWaitOf(entry.reason);
    return own ? fill(context.words.timeWaitOf, own.profile, own.seconds) : fill(context.words.timeWait, 2 * context.msl);
  }
  if (entry.state === 'CLOSED' && entry.segment === null && entry.reason.includes('2×MSL') && time) return fill(context.words.timeWaitOver, time);
  if (entry.state === 'CLOSED' && entry.segment === null && entry.reason === TIME_WAIT_OVER && time) return fill(context.words.timeWaitOfOver, time);
  return entry.state;
}

function timeText(time: number, previous: number, context: RenderContext): string {
  switch (context.timeFormat) {
    case 'none':
      return '';
    case 'absolute': {
      // A date beyond what a Date holds (±273,790 years) has no time of day: its seconds are shown instead.
      const date = new Date(time * 1000);
      return Number.isFinite(time) ? (Number.isNaN(date.getTime()) ? `${time}s` : `${date.toISOString().slice(-13)}`) : '';
    }
    case 'delta':
      return Number.isFinite(time - previous) ? `Δ${(time - previous).toFixed(6)}s` : '';
    default:
      return offsetText(time - context.startTime);
  }
}

function offsetText(seconds: number): string {
  return Number.isFinite(seconds) ? `+${seconds.toFixed(6)}s` : '';
}

/** e.g. `⋯ #12–#23: 12 segments, 17.1 KB of data (C→S), 3 ACKs`: short enough for its box. */
function summaryText(segments: Segment[], words: DiagramWords): string {
  const data = segments.filter((s) => s.len > 0);
  const bytes = data.reduce((n, s) => n + s.len, 0);
  const directions = new Set(data.map((s) => (s.fromClient ? 'C→S' : 'S→C')));
  const parts = [fill(words.summary, segments[0]!.packet, segments.at(-1)!.packet, segments.length)];
  if (bytes > 0) parts.push(fill(words.summaryData, bytesText(bytes), [...directions].join(', ')));
  const acks = segments.length - data.length;
  if (acks > 0) parts.push(acks === 1 ? words.summaryAck : fill(words.summaryAcks, acks));
  return parts.join(', ');
}

function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
