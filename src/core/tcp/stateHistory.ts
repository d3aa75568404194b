import type { HistoryEntry } from './segment';
import { TCP_STATES, type TcpState } from './states';

const NONE = -1;
/** What `next` returns after the last entry. */
export const END = NONE;
const PAGE_BITS = 16;
const LARGEST_PAGE = 1 << PAGE_BITS;
const FIRST_PAGE = 64;
/**
 * Integer fields of an entry: state and reason, causing segment, `after`, next entry of the same endpoint, packet. A
 * reference (page × 65,536 + slot) fits one of them up to 2^31 entries: some 170 million connections. A packet number
 * is kept as 32 bits without sign: exact up to 4,294,967,294 records.
 */
const INTS = 5;
/** Number fields of an entry: its time. */
const FLOATS = 1;
const CODE = 0;
const SEGMENT = 1;
const AFTER = 2;
const NEXT = 3;
const PACKET = 4;
const TIME = 0;

/** Reasons are constant strings: each entry keeps a small number for its reason. */
const reasonIds = new Map<string, number>();
const reasonTexts: string[] = [];

function reasonId(reason: string): number {
  let id = reasonIds.get(reason);
  if (id === undefined) {
    id = reasonTexts.push(reason) - 1;
    reasonIds.set(reason, id);
  }
  return id;
}

/**
 * Every state change of one analysis, both endpoints of every connection, appended to typed-array pages outside the
 * JavaScript heap. A capture can hold 100,000 connections: as small arrays per endpoint, the histories were most of
 * the garbage collector's work and a third of the memory. An entry is referred to by its page and slot in one number.
 */
export class HistoryLog {
  private readonly ints: Int32Array[] = [];
  private readonly floats: Float64Array[] = [];
  private used = 0;

  append(code: number, packet: number, time: number, segment: number, after: number): number {
    let page = this.ints.length - 1;
    if (page < 0 || this.used === this.ints[page]!.length / INTS) {
      // Pages start small, so that a short analysis (a scenario, a test) allocates little, and grow to a cap.
      const size = page < 0 ? FIRST_PAGE : Math.min(LARGEST_PAGE, (this.ints[page]!.length / INTS) * 2);
      this.ints.push(new Int32Array(size * INTS));
      this.floats.push(new Float64Array(size * FLOATS));
      page++;
      this.used = 0;
    }
    const slot = this.used++;
    const ints = this.ints[page]!;
    ints[slot * INTS + CODE] = code;
    ints[slot * INTS + SEGMENT] = segment;
    ints[slot * INTS + AFTER] = after;
    ints[slot * INTS + NEXT] = NONE;
    ints[slot * INTS + PACKET] = packet;
    this.floats[page]![slot * FLOATS + TIME] = time;
    return page * LARGEST_PAGE + slot;
  }

  int(ref: number, field: number): number {
    return this.ints[Math.floor(ref / LARGEST_PAGE)]![(ref % LARGEST_PAGE) * INTS + field]!;
  }

  setInt(ref: number, field: number, value: number): void {
    this.ints[Math.floor(ref / LARGEST_PAGE)]![(ref % LARGEST_PAGE) * INTS + field] = value;
  }

  float(ref: number, field: number): number {
    return this.floats[Math.floor(ref / LARGEST_PAGE)]![(ref % LARGEST_PAGE) * FLOATS + field]!;
  }
}

const STATES = 16;

/** Each state's position in TCP_STATES. */
const STATE_INDEX = Object.fromEntries(TCP_STATES.map((state, i) => [state, i])) as Record<TcpState, number>;

const code = (state: TcpState, reason: string): number => STATE_INDEX[state] + STATES * reasonId(reason);

/**
 * Where a history keeps its first and last entry, its length, the states it ever entered (a bit each) and whether a
 * reset caused a change: numbers in its owner's record, so that a connection's outcome needs no walk of its entries.
 */
const FIRST = 0;
const LAST = 1;
const COUNT = 2;
const REACHED = 3;
const RESET = 4;
export const HISTORY_RECORD_SIZE = 5;

const bit = (state: TcpState): number => 1 << STATE_INDEX[state];
/** A change caused by a reset names it in its reason. */
const byReset = (reason: string): number => (reason.includes('RST') ? 1 : 0);

/**
 * One endpoint's state history: a view of its entries in the analysis's log, through the few numbers above that live
 * in the endpoint's record. A view costs nothing to keep: it is made where it is used.
 */
export class StateHistory {
  constructor(private readonly log: HistoryLog, private readonly s: Float64Array, private readonly at: number) {}

  /** Starts a history in the record at `at` with its initial state. */
  static start(log: HistoryLog, s: Float64Array, at: number, initial: TcpState, reason: string): void {
    s[at + FIRST] = s[at + LAST] = log.append(code(initial, reason), NONE, NaN, NONE, NONE);
    s[at + COUNT] = 1;
    s[at + REACHED] = bit(initial);
    s[at + RESET] = byReset(reason);
  }

  get length(): number {
    return this.s[this.at + COUNT]!;
  }

  push(state: TcpState, packet: number | null, time: number | null, segment: number | null, after: number, reason: string): void {
    const ref = this.log.append(code(state, reason), packet ?? NONE, time ?? NaN, segment ?? NONE, after);
    this.log.setInt(this.s[this.at + LAST]!, NEXT, ref);
    this.s[this.at + LAST] = ref;
    this.s[this.at + COUNT]!++;
    this.s[this.at + REACHED] = this.s[this.at + REACHED]! | bit(state);
    if (byReset(reason)) this.s[this.at + RESET] = 1;
  }

  /** When the last change happened (null for the initial state). */
  get lastTime(): number | null {
    return this.time(this.s[this.at + LAST]!);
  }

  /** Whether the endpoint was ever in `state`. */
  reached(state: TcpState): boolean {
    return (this.s[this.at + REACHED]! & bit(state)) !== 0;
  }

  /** Whether a reset (sent or received) changed the endpoint's state. */
  get reset(): boolean {
    return this.s[this.at + RESET] === 1;
  }

  /** The state entered last, and why. */
  get current(): { state: TcpState; reason: string } {
    const last = this.s[this.at + LAST]!;
    return { state: this.state(last), reason: this.reason(last) };
  }

  /** Corrects the assumed initial state, before anything else happened. */
  redefineInitial(state: TcpState, reason: string): void {
    this.log.setInt(this.s[this.at + FIRST]!, CODE, code(state, reason));
    this.s[this.at + REACHED] = bit(state);
    this.s[this.at + RESET] = byReset(reason);
  }

  /**
   * Takes back the last change (what later evidence showed did not happen: an RST taken for the endpoint's own that it
   * went on after). Rare, so the entry before is found by a walk, and what was reached is counted again.
   */
  retractLast(): void {
    if (this.length < 2) return;
    let before = this.first;
    while (this.next(this.next(before)) !== END) before = this.next(before);
    this.log.setInt(before, NEXT, NONE);
    this.s[this.at + LAST] = before;
    this.s[this.at + COUNT]!--;
    let reached = 0;
    let reset = 0;
    for (let ref = this.first; ref !== END; ref = this.next(ref)) {
      reached |= bit(this.state(ref));
      reset |= byReset(this.reason(ref));
    }
    this.s[this.at + REACHED] = reached;
    this.s[this.at + RESET] = reset;
  }

  /**
   * The entries can be read one at a time without making objects, for reports of many connections: `first`, then
   * `next` until END, with the readers below.
   */
  get first(): number {
    return this.s[this.at + FIRST]!;
  }

  next(ref: number): number {
    return this.log.int(ref, NEXT);
  }

  /** Equal for entries with the same state and reason. */
  kind(ref: number): number {
    return this.log.int(ref, CODE);
  }

  state(ref: number): TcpState {
    return TCP_STATES[this.kind(ref) % STATES]!;
  }

  reason(ref: number): string {
    return reasonTexts[Math.floor(this.kind(ref) / STATES)]!;
  }

  packet(ref: number): number | null {
    const packet = this.log.int(ref, PACKET);
    return packet === NONE ? null : packet >>> 0;
  }

  time(ref: number): number | null {
    const time = this.log.float(ref, TIME);
    return Number.isNaN(time) ? null : time;
  }

  entries(): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (let ref = this.first; ref !== END; ref = this.next(ref)) {
      const segment = this.log.int(ref, SEGMENT);
      out.push({
        state: this.state(ref),
        packet: this.packet(ref),
        time: this.time(ref),
        segment: segment === NONE ? null : segment,
        after: this.log.int(ref, AFTER),
        reason: this.reason(ref),
      });
    }
    return out;
  }
}
