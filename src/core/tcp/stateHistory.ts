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
  private numbers: number[] = [];
  private reasons: string[] = [];

  constructor(initial: TcpState, reason: string) {
    this.push(initial, null, null, null, -1, reason);
  }

  get length(): number {
    return this.reasons.length;
  }

  push(state: TcpState, packet: number | null, time: number | null, segment: number | null, after: number, reason: string): void {
    // concat makes arrays of exactly the needed size; push would leave 16 or more spare slots in each.
    this.numbers = this.numbers.concat([TCP_STATES.indexOf(state), packet ?? NONE, time ?? NaN, segment ?? NONE, after]);
    this.reasons = this.reasons.concat([reason]);
  }

  /** Corrects the assumed initial state, before anything else happened. */
  redefineInitial(state: TcpState, reason: string): void {
    this.numbers[0] = TCP_STATES.indexOf(state);
    this.reasons[0] = reason;
  }

  entries(): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (let i = 0; i < this.reasons.length; i++) {
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
