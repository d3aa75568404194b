import type { RecordPool } from './recordPool';
import { NO_ARRIVAL } from './inFlight';
import { HISTORY_RECORD_SIZE, StateHistory, type HistoryLog } from './stateHistory';
import type { HistoryEntry } from './segment';
import type { TcpState } from './states';

/** Offsets of an endpoint's sequence numbers and times in its record (NaN: not known yet). */
const ISS = 0;
const SND_NXT = 1;
const FIN_SEQ = 2;
const LAST_ACK_SENT = 3;
const RCV_NXT = 4;
const PEER_FIN_SEQ = 5;
const TIME_WAIT_SINCE = 6;
const ROUND_TRIP = 7;
/** The endpoint's queue of arrivals in the analysis's InFlightStore (NO_ARRIVAL when empty). */
const FIRST_ARRIVAL = 8;
const LAST_ARRIVAL = 9;
const HISTORY = 10;
/** Numbers per endpoint. */
export const ENDPOINT_RECORD_SIZE = HISTORY + HISTORY_RECORD_SIZE;

/**
 * What the state model knows of one endpoint. Its sequence numbers, times, queue of arrivals and history are a record
 * in a pool shared by every connection of an analysis: as fields of an object, numbers beyond 31 bits and fractions
 * are each a heap object of their own.
 */
export class Endpoint {
  private readonly s: Float64Array;
  private readonly at: number;
  sentAnything = false;
  /** How many segments wait in its queue of arrivals. */
  arrivals = 0;
  /** Entered SYN_RECEIVED from LISTEN: an RST sends it back to LISTEN (RFC 9293 §3.10.7.4). */
  passive = false;
  window = 65535;
  windowScale = 0;

  /** Starts in `state`, the first entry of its history, explained by `reason`. */
  constructor(
    pool: RecordPool,
    private readonly log: HistoryLog,
    public state: TcpState,
    reason: string,
  ) {
    ({ page: this.s, at: this.at } = pool.allocate());
    this.firstArrival = this.lastArrival = NO_ARRIVAL;
    StateHistory.start(log, this.s, this.at + HISTORY, state, reason);
  }

  /**
   * Segments from the peer that the capture point has seen but this endpoint may not have received yet: the first and
   * last of them in the analysis's InFlightStore.
   */
  get firstArrival(): number {
    return this.s[this.at + FIRST_ARRIVAL]!;
  }

  set firstArrival(ref: number) {
    this.s[this.at + FIRST_ARRIVAL] = ref;
  }

  get lastArrival(): number {
    return this.s[this.at + LAST_ARRIVAL]!;
  }

  set lastArrival(ref: number) {
    this.s[this.at + LAST_ARRIVAL] = ref;
  }

  get history(): StateHistory {
    return new StateHistory(this.log, this.s, this.at + HISTORY);
  }

  get iss(): number | undefined {
    return this.optional(ISS);
  }

  set iss(seq: number | undefined) {
    this.s[this.at + ISS] = seq ?? NaN;
  }

  get sndNxt(): number | undefined {
    return this.optional(SND_NXT);
  }

  set sndNxt(seq: number | undefined) {
    this.s[this.at + SND_NXT] = seq ?? NaN;
  }

  /** Sequence number of this endpoint's FIN. */
  get finSeq(): number | undefined {
    return this.optional(FIN_SEQ);
  }

  set finSeq(seq: number | undefined) {
    this.s[this.at + FIN_SEQ] = seq ?? NaN;
  }

  /** The highest ACK this endpoint has sent. */
  get lastAckSent(): number | undefined {
    return this.optional(LAST_ACK_SENT);
  }

  set lastAckSent(seq: number | undefined) {
    this.s[this.at + LAST_ACK_SENT] = seq ?? NaN;
  }

  get rcvNxt(): number | undefined {
    return this.optional(RCV_NXT);
  }

  set rcvNxt(seq: number | undefined) {
    this.s[this.at + RCV_NXT] = seq ?? NaN;
  }

  /** Sequence number of the peer's FIN, once this endpoint has received it. */
  get peerFinSeq(): number | undefined {
    return this.optional(PEER_FIN_SEQ);
  }

  set peerFinSeq(seq: number | undefined) {
    this.s[this.at + PEER_FIN_SEQ] = seq ?? NaN;
  }

  get timeWaitSince(): number | undefined {
    return this.optional(TIME_WAIT_SINCE);
  }

  set timeWaitSince(time: number | undefined) {
    this.s[this.at + TIME_WAIT_SINCE] = time ?? NaN;
  }

  /** Smallest observed time from the capture point to this endpoint and back. */
  get roundTrip(): number | undefined {
    return this.optional(ROUND_TRIP);
  }

  set roundTrip(seconds: number | undefined) {
    this.s[this.at + ROUND_TRIP] = seconds ?? NaN;
  }

  /** Replaces the history with one known otherwise (a simulation's own), and takes its last state. */
  replaceHistory(entries: readonly HistoryEntry[]): void {
    const [initial, ...rest] = entries;
    StateHistory.start(this.log, this.s, this.at + HISTORY, initial!.state, initial!.reason);
    const history = this.history;
    for (const e of rest) history.push(e.state, e.packet, e.time, e.segment, e.after, e.reason);
    this.state = entries.at(-1)!.state;
  }

  private optional(field: number): number | undefined {
    const value = this.s[this.at + field]!;
    return Number.isNaN(value) ? undefined : value;
  }
}
