import type { HistoryEntry } from './segment';
import { TCP_STATES, type TcpState } from './states';

const FIELDS = 5; // state, packet, time, segment, after
const NONE = -1;

/**
 * One endpoint's state history, stored packed: five numbers per entry in one array (which V8 keeps as unboxed
 * doubles) and the reasons, which are shared constant strings, in another. A capture can hold 100,000 connections,
 * and entry objects with a boxed time each took three times the memory. `entries()` makes the objects on demand.
 */
export class StateHistory {
  // Room for six entries, what most endpoints need; grown by hand, since push() would leave 16 or more spare slots.
  private numbers: number[] = new Array<number>(6 * FIELDS).fill(0);
  private reasons: string[] = new Array<string>(6).fill('');
  private count = 0;

  constructor(initial: TcpState, reason: string) {
    this.push(initial, null, null, null, -1, reason);
  }

  get length(): number {
    return this.count;
  }

  push(state: TcpState, packet: number | null, time: number | null, segment: number | null, after: number, reason: string): void {
    if (this.count === this.reasons.length) {
      this.numbers = this.numbers.concat(new Array<number>(4 * FIELDS).fill(0));
      this.reasons = this.reasons.concat(new Array<string>(4).fill(''));
    }
    const at = this.count * FIELDS;
    this.numbers[at] = TCP_STATES.indexOf(state);
    this.numbers[at + 1] = packet ?? NONE;
    this.numbers[at + 2] = time ?? NaN;
    this.numbers[at + 3] = segment ?? NONE;
    this.numbers[at + 4] = after;
    this.reasons[this.count++] = reason;
  }

  /** Corrects the assumed initial state, before anything else happened. */
  redefineInitial(state: TcpState, reason: string): void {
    this.numbers[0] = TCP_STATES.indexOf(state);
    this.reasons[0] = reason;
  }

  entries(): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (let i = 0; i < this.count; i++) {
      const at = i * FIELDS;
      const packet = this.numbers[at + 1]!;
      const time = this.numbers[at + 2]!;
      const segment = this.numbers[at + 3]!;
      out.push({
        state: TCP_STATES[this.numbers[at]!]!,
        packet: packet === NONE ? null : packet,
        time: Number.isNaN(time) ? null : time,
        segment: segment === NONE ? null : segment,
        after: this.numbers[at + 4]!,
        reason: this.reasons[i]!,
      });
    }
    return out;
  }
}
