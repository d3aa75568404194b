import { ACK, FIN, RST, SYN } from '../decode/tcpHeader';
import { Endpoint } from './endpoint';
import { NO_ARRIVAL, type Arrival, type InFlightStore } from './inFlight';
import type { RecordPool } from './recordPool';
import { sequenceLength, type Segment } from './segment';
import type { HistoryLog } from './stateHistory';
import { seqAdd, seqGe, seqGt, seqLt } from './seq';
import type { TcpState } from './states';
import { timeToPrecision } from './timePrecision';

/** Where the model keeps what it knows, for every connection of an analysis. */
export interface ModelStorage {
  histories: HistoryLog;
  /** Records of ENDPOINT_RECORD_SIZE numbers. */
  endpoints: RecordPool;
  inFlight: InFlightStore;
}

export interface ModelOptions {
  /** Maximum segment lifetime in seconds; TIME_WAIT lasts twice this. */
  msl: number;
}

export const REFUSED = 'received RST,ACK: connection refused';
/** The mark on an RST its apparent sender could not have sent. */
export const FORGED_RST = 'injected: outside its sender\'s sequence space, so its sender\'s state is unchanged';
/** Why a server whose first word was a reset is CLOSED from the start. */
const NO_LISTENER = 'no listener: the port was closed';

/** An RST that fitted its sender's sequence space, but the sender went on in it afterwards: it was not the sender's. */
export const DISOWNED_RST = 'injected: its sender went on after it, so not its own; its state is unchanged';

/** A SYN from an endpoint already synchronized, with another ISN than its own: never its own (it never sends one). */
export const FORGED_SYN = 'injected: a new ISN from a synchronized sender, so not its own; its state is unchanged';

const INJECTED = [FORGED_RST, DISOWNED_RST, FORGED_SYN];

/** Whether the segment was found to be injected: one its apparent sender did not send. */
export function isInjected(segment: Pick<Segment, 'anomalies'>): boolean {
  return segment.anomalies.some((a) => INJECTED.includes(a));
}

/** What an endpoint was before the RST that closed it, taken for its own: to take back if it goes on after it. */
interface OwnReset {
  index: number;
  seq: number;
  state: TcpState;
  window: number;
}

/** Share of an endpoint's observed round trip after which a segment is taken to have reached it. */
const DELIVERY_SHARE = 0.8;

/**
 * The most segments an endpoint's queue of arrivals holds. An endpoint that never answers (a capture of one direction
 * only: asymmetric routing, `tcpdump -Q out`) would otherwise keep every segment sent to it until the capture ends;
 * past this many, the oldest is taken to have arrived.
 */
export const MOST_IN_FLIGHT = 1024;

/**
 * Infers both endpoints' RFC 9293 states from the segments seen at one capture point.
 *
 * A segment changes its sender's state at once: the capture point sees it after it was sent. It reaches the receiver
 * later, so the receiver's side of it waits in the receiver's queue of arrivals and is applied when the receiver's next
 * segment shows it had arrived: its ACK covers it, or enough time passed for a round trip to that endpoint. A segment
 * whose sequence space the receiver's ACK does not cover had not arrived: this is what tells a simultaneous close (FINs
 * crossing) from an ordinary one. What is still in flight when the capture ends is applied then, except SYNs that nobody
 * answered.
 */
export class EndpointModel {
  readonly client: Endpoint;
  readonly server: Endpoint;
  private lastIndex = -1;
  /** Contradictions found so far, counted here because a segment can be flagged after it was added (on delivery). */
  anomalies = 0;
  private clientReset: OwnReset | undefined;
  private serverReset: OwnReset | undefined;

  /**
   * `storage` holds the histories, the endpoints' numbers and the segments in flight of every connection of the
   * analysis. `kept` is the connection's list of segments, if it keeps them: contradictions are written onto them.
   */
  constructor(
    private readonly options: ModelOptions,
    midstream: boolean,
    private readonly storage: ModelStorage,
    private readonly kept: readonly Segment[],
  ) {
    const initialClient: TcpState = midstream ? 'ESTABLISHED' : 'CLOSED';
    const initialServer: TcpState = midstream ? 'ESTABLISHED' : 'LISTEN';
    const clientReason = midstream ? 'capture starts mid-connection' : 'no connection yet';
    const serverReason = midstream ? 'capture starts mid-connection' : 'assumed: a passive open (listening)';
    this.client = new Endpoint(storage.endpoints, storage.histories, initialClient, clientReason);
    this.server = new Endpoint(storage.endpoints, storage.histories, initialServer, serverReason);
  }

  /**
   * Why the segment cannot be its apparent sender's own, judged by that sender's sequence space (an RST outside it, a
   * SYN with a new ISN once synchronized), or undefined: then it is taken for the sender's.
   */
  injected(segment: Segment): string | undefined {
    const sender = segment.fromClient ? this.client : this.server;
    const receiver = segment.fromClient ? this.server : this.client;
    if (segment.flags & RST) return isOwnReset(sender, receiver, segment) ? undefined : FORGED_RST;
    if ((segment.flags & (SYN | ACK)) === SYN && sender.iss !== undefined && segment.seq !== sender.iss && isSynchronized(sender.state)) return FORGED_SYN;
    return undefined;
  }

  process(segment: Segment, injected = this.injected(segment)): void {
    this.lastIndex = segment.index;
    const sender = segment.fromClient ? this.client : this.server;
    const receiver = segment.fromClient ? this.server : this.client;
    this.expireTimeWait(this.client, segment.time);
    this.expireTimeWait(this.server, segment.time);
    // A segment the sender could not have sent (forged by a middlebox or an attacker) changes nothing of the sender's;
    // its receiver judges it as RFC 5961 says.
    if (injected) {
      this.flag(segment, injected);
    } else {
      this.disownResetIfGoneOn(sender, segment);
      if (sender.state === 'SYN_SENT' && (segment.flags & (SYN | ACK | RST)) === ACK && !receiver.sentAnything) this.synAckNotSeen(sender, receiver, segment);
      this.deliverBefore(sender, segment);
      this.onSend(sender, segment);
    }
    this.queue(receiver, segment);
  }

  /**
   * A capture of one direction (asymmetric routing, `tcpdump -Q out`): the client acknowledges a SYN,ACK the capture
   * never saw, so it came. The server received the SYN and sent it (its ISN is one before the ACK); the client is
   * established. The server's ESTABLISHED follows when the ACK reaches it, as any.
   */
  private synAckNotSeen(client: Endpoint, server: Endpoint, ack: Segment): void {
    const inFlight = this.storage.inFlight;
    while (server.firstArrival !== NO_ARRIVAL) {
      const arrival = inFlight.arrival(server.firstArrival);
      this.dequeue(server);
      this.onReceive(server, arrival, ack.index - 1);
    }
    server.iss = seqAdd(ack.ack, -1);
    server.sndNxt = ack.ack;
    server.sentAnything = true;
    client.rcvNxt = ack.ack;
    this.enterOnSend(client, ack, 'ESTABLISHED', 'received a SYN,ACK the capture did not see: its ACK shows it came');
  }

  /**
   * An endpoint closed by an RST that fitted its sequence space sends again in that space (data, an ACK, a FIN: never
   * from CLOSED): the evidence wins, the RST was injected. Its sender's close is taken back; what its receiver did
   * with it stands (it judged it as its own peer's).
   */
  private disownResetIfGoneOn(sender: Endpoint, segment: Segment): void {
    const reset = sender === this.client ? this.clientReset : this.serverReset;
    if (!reset || sender.state !== 'CLOSED' || segment.flags & (RST | SYN)) return;
    if (seqGt(segment.seq, reset.seq) || (sender.iss !== undefined && !seqGt(segment.seq, sender.iss))) return;
    sender.history.retractLast();
    sender.state = reset.state;
    sender.window = reset.window;
    this.flag({ index: reset.index }, DISOWNED_RST);
    if (sender === this.client) this.clientReset = undefined;
    else this.serverReset = undefined;
  }

  /** The capture ended at `endTime`: everything in flight arrives, and timers that ran out fire. */
  finish(endTime: number): void {
    for (const endpoint of [this.client, this.server]) {
      const unanswered = this.isSilentListener(endpoint);
      const inFlight = this.storage.inFlight;
      for (let ref = endpoint.firstArrival; ref !== NO_ARRIVAL; ref = inFlight.next(ref)) {
        if (!unanswered) this.onReceive(endpoint, inFlight.arrival(ref), this.lastIndex);
      }
      this.dropArrivals(endpoint);
    }
    this.expireTimeWait(this.client, endTime);
    this.expireTimeWait(this.server, endTime);
  }

  get states(): { client: TcpState; server: TcpState } {
    return { client: this.client.state, server: this.server.state };
  }

  /** Applies the in-flight segments that reached `endpoint` before it sent `outgoing`. */
  private deliverBefore(endpoint: Endpoint, outgoing: Segment): void {
    if (outgoing.flags & RST && endpoint.state === 'LISTEN' && !endpoint.sentAnything && endpoint.history.length === 1) {
      // Its first word is a reset: there was no listener, and what reached it was refused, not received.
      this.dropArrivals(endpoint);
      return;
    }
    const inFlight = this.storage.inFlight;
    const placedAfter = outgoing.index - 1;
    const acked = (outgoing.flags & ACK) !== 0;
    // Delivery is in order: a segment proven received (its sequence space newly covered by this ACK) proves every
    // segment before it received too.
    let provenUpTo = -1;
    let covered = endpoint.lastAckSent;
    let lastProven = NO_ARRIVAL;
    for (let ref = endpoint.firstArrival, i = 0; ref !== NO_ARRIVAL; ref = inFlight.next(ref), i++) {
      const space = sequenceLength(inFlight.flags(ref), inFlight.len(ref));
      const end = seqAdd(inFlight.seq(ref), space);
      if (!acked || space === 0 || seqGt(end, outgoing.ack)) continue;
      // A later copy of the proven segment is proven with it: the ACK may answer either.
      if (covered === undefined || seqGt(end, covered) || (lastProven !== NO_ARRIVAL && isSameSegment(inFlight, ref, lastProven))) {
        provenUpTo = i;
        covered = end;
        lastProven = ref;
      }
    }
    if (provenUpTo >= 0) {
      const elapsed = outgoing.time - inFlight.time(lastProven);
      endpoint.roundTrip = endpoint.roundTrip === undefined ? elapsed : Math.min(endpoint.roundTrip, elapsed);
    }
    for (let i = 0; endpoint.firstArrival !== NO_ARRIVAL; i++) {
      const ref = endpoint.firstArrival;
      if (i > provenUpTo) {
        const space = sequenceLength(inFlight.flags(ref), inFlight.len(ref));
        // Sequence space the ACK does not cover (or a SYN answered by a bare SYN) had not arrived.
        if (space > 0 && !acked && outgoing.flags & SYN) break;
        if (space > 0 && acked && seqGt(seqAdd(inFlight.seq(ref), space), outgoing.ack)) break;
        const elapsed = outgoing.time - inFlight.time(ref);
        if (endpoint.roundTrip !== undefined && elapsed < endpoint.roundTrip * DELIVERY_SHARE) break;
      }
      // A lost segment's later copy is the one that arrived: let the last copy carry the change.
      const incoming = hasLaterCopy(inFlight, ref) ? undefined : inFlight.arrival(ref);
      this.dequeue(endpoint);
      if (incoming) this.onReceive(endpoint, incoming, placedAfter);
    }
  }

  /** Puts the segment at the end of the endpoint's queue of arrivals. */
  private queue(endpoint: Endpoint, segment: Segment): void {
    endpoint.lastArrival = this.storage.inFlight.append(endpoint.lastArrival, segment);
    if (endpoint.firstArrival === NO_ARRIVAL) endpoint.firstArrival = endpoint.lastArrival;
    if (++endpoint.arrivals <= MOST_IN_FLIGHT) return;
    // The oldest arrives now, as it would when the capture ends: a listener that never answered receives nothing. A
    // later copy of it does not take its place here (finding one would mean walking the whole queue each time).
    const oldest = this.storage.inFlight.arrival(endpoint.firstArrival);
    this.dequeue(endpoint);
    if (!this.isSilentListener(endpoint)) this.onReceive(endpoint, oldest, segment.index);
  }

  /** Removes the first of the endpoint's arrivals. */
  private dequeue(endpoint: Endpoint): void {
    endpoint.firstArrival = this.storage.inFlight.release(endpoint.firstArrival);
    endpoint.arrivals--;
    if (endpoint.firstArrival === NO_ARRIVAL) endpoint.lastArrival = NO_ARRIVAL;
  }

  /** A listener that has not answered: what reaches it is not taken as received. */
  private isSilentListener(endpoint: Endpoint): boolean {
    return endpoint.state === 'LISTEN' && !endpoint.sentAnything;
  }

  private dropArrivals(endpoint: Endpoint): void {
    while (endpoint.firstArrival !== NO_ARRIVAL) this.dequeue(endpoint);
  }

  private onSend(endpoint: Endpoint, segment: Segment): void {
    const { flags, seq, len } = segment;
    // Only an endpoint that has neither sent nor changed state yet can turn out to have started otherwise than assumed.
    const firstWords = !endpoint.sentAnything && endpoint.history.length === 1;
    endpoint.sentAnything = true;
    if (flags & ACK && (endpoint.lastAckSent === undefined || seqGt(segment.ack, endpoint.lastAckSent))) endpoint.lastAckSent = segment.ack;
    const windowBefore = endpoint.window;
    endpoint.window = segment.window;
    if (flags & SYN && segment.options?.windowScale !== undefined) endpoint.windowScale = segment.options.windowScale;
    const end = seqAdd(seq, sequenceLength(flags, len));
    if (endpoint.sndNxt === undefined || seqGt(end, endpoint.sndNxt)) endpoint.sndNxt = end;

    if (flags & RST) {
      if (endpoint.state === 'LISTEN' && firstWords) {
        this.redefineInitial(endpoint, 'CLOSED', NO_LISTENER);
        this.dropArrivals(endpoint);
      } else if (endpoint.state !== 'CLOSED' && endpoint.state !== 'LISTEN') {
        // Kept in case the endpoint goes on after it (then the RST was not its own); what reaches it meanwhile waits,
        // ignored in CLOSED, received if the close is taken back.
        const own: OwnReset = { index: segment.index, seq, state: endpoint.state, window: windowBefore };
        if (endpoint === this.client) this.clientReset = own;
        else this.serverReset = own;
        this.enterOnSend(endpoint, segment, 'CLOSED', 'sent RST: connection aborted');
      } else {
        this.dropArrivals(endpoint);
      }
      return;
    }
    if (flags & SYN) {
      endpoint.iss ??= seq;
      if (!(flags & ACK)) {
        if (endpoint.state === 'LISTEN' && firstWords) this.redefineInitial(endpoint, 'CLOSED', 'an active opener too');
        if (endpoint.state === 'CLOSED') this.enterOnSend(endpoint, segment, 'SYN_SENT', 'sent SYN: active open');
        else if (endpoint.state !== 'SYN_SENT') this.flag(segment, `SYN sent in state ${endpoint.state}`);
      } else if (endpoint.state === 'LISTEN' || endpoint.state === 'SYN_SENT') {
        this.enterOnSend(endpoint, segment, 'SYN_RECEIVED', 'sent SYN,ACK: it had received a SYN');
      } else if (endpoint.state === 'CLOSED' && firstWords) {
        this.redefineInitial(endpoint, 'LISTEN', 'answered a SYN the capture did not see');
        this.enterOnSend(endpoint, segment, 'SYN_RECEIVED', 'sent SYN,ACK');
      } else if (endpoint.state === 'CLOSED' && endpoint.history.length === 1 && endpoint.history.current.reason === NO_LISTENER) {
        // It refused a SYN; a listener has opened the port since (a passive open the capture cannot see), and the
        // retried SYN is answered.
        this.enterOnSend(endpoint, segment, 'LISTEN', 'a listener opened the port it had refused (its SYN,ACK shows it)');
        this.enterOnSend(endpoint, segment, 'SYN_RECEIVED', 'sent SYN,ACK: it had received the retried SYN');
      } else if (endpoint.state !== 'SYN_RECEIVED' && endpoint.state !== 'ESTABLISHED') {
        this.flag(segment, `SYN,ACK sent in state ${endpoint.state}`);
      }
    }
    if (len > 0) {
      if (endpoint.finSeq !== undefined && seqGt(seqAdd(seq, len), endpoint.finSeq)) this.flag(segment, 'data after FIN');
      else if (endpoint.state === 'CLOSED' || endpoint.state === 'LISTEN' || endpoint.state === 'SYN_SENT') {
        this.flag(segment, `data sent in state ${endpoint.state}`);
      }
    }
    if (flags & FIN) {
      const finSeq = seqAdd(seq, len + (flags & SYN ? 1 : 0));
      if (endpoint.finSeq !== undefined) {
        if (finSeq !== endpoint.finSeq) this.flag(segment, 'FIN with a different sequence number than the first FIN');
        return;
      }
      endpoint.finSeq = finSeq;
      if (endpoint.state === 'ESTABLISHED' || endpoint.state === 'SYN_RECEIVED') this.enterOnSend(endpoint, segment, 'FIN_WAIT_1', 'sent FIN: active close');
      else if (endpoint.state === 'CLOSE_WAIT') this.enterOnSend(endpoint, segment, 'LAST_ACK', 'sent FIN: passive close');
      else this.flag(segment, `FIN sent in state ${endpoint.state}`);
    }
  }

  private onReceive(endpoint: Endpoint, segment: Arrival, placedAfter: number): void {
    const { flags, seq, ack } = segment;
    const state = endpoint.state;

    if (flags & RST) {
      if (state === 'LISTEN' || state === 'CLOSED') return;
      if (state === 'SYN_SENT') {
        if (flags & ACK && ack === endpoint.sndNxt) this.enter(endpoint, segment, placedAfter, 'CLOSED', REFUSED);
        else this.flag(segment, 'RST ignored in SYN_SENT: its ACK does not acknowledge the SYN');
        return;
      }
      if (endpoint.rcvNxt === undefined || seq === endpoint.rcvNxt) {
        if (state === 'SYN_RECEIVED' && endpoint.passive) this.enter(endpoint, segment, placedAfter, 'LISTEN', 'received RST: back to listening');
        else this.enter(endpoint, segment, placedAfter, 'CLOSED', 'received RST: connection reset');
      } else if (seqGe(seq, endpoint.rcvNxt) && seqLt(seq, seqAdd(endpoint.rcvNxt, Math.max(1, endpoint.window * 2 ** endpoint.windowScale)))) {
        this.flag(segment, 'RST in the window but not at RCV.NXT: RFC 5961 challenge ACK, no state change');
      } else {
        this.flag(segment, 'RST outside the receive window: dropped');
      }
      return;
    }

    if (flags & SYN) {
      const peerIss = seq;
      if (!(flags & ACK)) {
        if (state === 'LISTEN' || state === 'SYN_SENT') {
          endpoint.passive = state === 'LISTEN';
          endpoint.rcvNxt = seqAdd(peerIss, 1);
          this.enter(endpoint, segment, placedAfter, 'SYN_RECEIVED', state === 'LISTEN' ? 'received SYN' : 'received SYN: simultaneous open');
        } else if (state !== 'CLOSED' && endpoint.rcvNxt !== seqAdd(peerIss, 1)) {
          this.flag(segment, `SYN received in state ${state}: RFC 5961 challenge ACK`);
        }
        return;
      }
      if (state === 'SYN_SENT' || state === 'SYN_RECEIVED') {
        if (ack === seqAdd(endpoint.iss ?? 0, 1)) {
          endpoint.rcvNxt = seqAdd(peerIss, 1);
          this.enter(endpoint, segment, placedAfter, 'ESTABLISHED', state === 'SYN_SENT' ? 'received SYN,ACK' : 'received SYN,ACK: simultaneous open completes');
        } else {
          this.flag(segment, 'SYN,ACK whose ACK does not acknowledge our SYN');
        }
        this.receiveData(endpoint, segment, placedAfter);
        return;
      }
      if (state === 'LISTEN') this.flag(segment, 'SYN,ACK received in LISTEN');
      return;
    }

    if (state === 'LISTEN' || state === 'CLOSED' || state === 'SYN_SENT') {
      if (state === 'SYN_SENT' && flags & ACK) this.flag(segment, 'ACK without SYN received in SYN_SENT');
      return;
    }
    if (flags & ACK) {
      if (endpoint.sndNxt !== undefined && seqGt(ack, endpoint.sndNxt)) this.flag(segment, 'ACK of data never sent');
      const finAcked = endpoint.finSeq !== undefined && seqGt(ack, endpoint.finSeq);
      if (state === 'SYN_RECEIVED' && endpoint.iss !== undefined && seqGt(ack, endpoint.iss)) this.enter(endpoint, segment, placedAfter, 'ESTABLISHED', 'received the ACK of its SYN');
      else if (state === 'FIN_WAIT_1' && finAcked) this.enter(endpoint, segment, placedAfter, 'FIN_WAIT_2', 'received the ACK of its FIN');
      else if (state === 'CLOSING' && finAcked) this.enterTimeWait(endpoint, segment, placedAfter, 'received the ACK of its FIN; waits 2×MSL');
      else if (state === 'LAST_ACK' && finAcked) this.enter(endpoint, segment, placedAfter, 'CLOSED', 'received the ACK of its FIN');
    }
    this.receiveData(endpoint, segment, placedAfter);
  }

  private receiveData(endpoint: Endpoint, segment: Arrival, placedAfter: number): void {
    const { flags, seq, len } = segment;
    const dataEnd = seqAdd(seq, len + (flags & SYN ? 1 : 0));
    if (endpoint.rcvNxt === undefined || seqGt(dataEnd, endpoint.rcvNxt)) endpoint.rcvNxt = dataEnd;
    if (!(flags & FIN)) return;
    if (endpoint.peerFinSeq !== undefined) {
      if (endpoint.state === 'TIME_WAIT') {
        endpoint.timeWaitSince = shifted(segment.time, oneWay(endpoint));
        this.flag(segment, 'retransmitted FIN in TIME_WAIT: ACKed, and the 2×MSL timer restarts');
      }
      return;
    }
    endpoint.peerFinSeq = dataEnd;
    endpoint.rcvNxt = seqAdd(dataEnd, 1);
    switch (endpoint.state) {
      case 'SYN_RECEIVED':
      case 'ESTABLISHED':
        this.enter(endpoint, segment, placedAfter, 'CLOSE_WAIT', 'received FIN: the peer closed its side');
        break;
      case 'FIN_WAIT_1':
        this.enter(endpoint, segment, placedAfter, 'CLOSING', 'received FIN before the ACK of its own: simultaneous close');
        break;
      case 'FIN_WAIT_2':
        this.enterTimeWait(endpoint, segment, placedAfter, 'received FIN; waits 2×MSL');
        break;
      default:
        break;
    }
  }

  private enterTimeWait(endpoint: Endpoint, segment: Arrival, placedAfter: number, reason: string): void {
    this.enter(endpoint, segment, placedAfter, 'TIME_WAIT', reason);
    endpoint.timeWaitSince = endpoint.history.lastTime ?? segment.time;
  }

  private expireTimeWait(endpoint: Endpoint, now: number): void {
    if (endpoint.state !== 'TIME_WAIT' || endpoint.timeWaitSince === undefined) return;
    const expiry = endpoint.timeWaitSince + 2 * this.options.msl;
    if (now < expiry) return;
    endpoint.state = 'CLOSED';
    endpoint.history.push('CLOSED', null, expiry, null, this.lastIndex, '2×MSL timer expired');
  }

  /**
   * A change on receiving `cause`. It happened when the segment arrived: about half the endpoint's round trip from the
   * capture point after the capture saw it (and never before the endpoint's previous change).
   */
  private enter(endpoint: Endpoint, cause: Arrival, after: number, state: TcpState, reason: string): void {
    this.change(endpoint, cause, Math.max(after, cause.index), state, reason, shifted(cause.time, oneWay(endpoint)));
  }

  /** A change on sending `cause`: half the endpoint's round trip before the capture saw the segment. */
  private enterOnSend(endpoint: Endpoint, cause: Arrival, state: TcpState, reason: string): void {
    this.change(endpoint, cause, cause.index, state, reason, shifted(cause.time, -oneWay(endpoint)));
  }

  private change(endpoint: Endpoint, cause: Arrival, after: number, state: TcpState, reason: string, time: number): void {
    if (endpoint.state === state) return;
    endpoint.state = state;
    const previous = endpoint.history.lastTime;
    endpoint.history.push(state, cause.packet, previous !== null && previous > time ? previous : time, cause.index, after, reason);
  }

  /** Marks a contradiction on the segment (also used for what the decoder found wrong with it). */
  flag(segment: Pick<Segment, 'index'>, text: string): void {
    this.anomalies++;
    const kept = this.kept[segment.index];
    if (kept) kept.anomalies = [...kept.anomalies, text];
  }

  /** The assumed initial state turned out wrong before the endpoint had done anything: correct it. */
  private redefineInitial(endpoint: Endpoint, state: TcpState, reason: string): void {
    endpoint.state = state;
    endpoint.history.redefineInitial(state, reason);
  }
}

/**
 * Whether an RST fits its sender's own sequence space: not beyond what the sender has sent, nor behind what its peer
 * has already acknowledged. An endpoint's own RST carries its SND.NXT (or, in answer to a stray segment, that segment's
 * ACK); one from elsewhere, blind, rarely does. An endpoint that has sent nothing yet can only answer what its peer
 * sent (RFC 9293 §3.10.7.1): an RST,ACK acknowledges all of it, an RST without ACK takes its sequence number from the
 * peer's ACK, and a segment without ACK (a SYN) is never answered by a bare RST.
 */
function isOwnReset(sender: Endpoint, receiver: Endpoint, segment: Segment): boolean {
  if (sender.sndNxt === undefined) {
    if (receiver.sndNxt === undefined) return true;
    if (segment.flags & ACK) return segment.ack === receiver.sndNxt;
    return segment.seq === receiver.lastAckSent;
  }
  if (seqGt(segment.seq, sender.sndNxt)) return false;
  return receiver.lastAckSent === undefined || !seqLt(segment.seq, receiver.lastAckSent);
}

/** States in which the endpoint has its peer's ISN and sends no SYN of its own any more. */
function isSynchronized(state: TcpState): boolean {
  return state !== 'CLOSED' && state !== 'LISTEN' && state !== 'SYN_SENT' && state !== 'SYN_RECEIVED';
}

/** A capture time moved by `offset` seconds, with the digits capture times carry. */
function shifted(time: number, offset: number): number {
  return offset === 0 ? time : timeToPrecision(time + offset);
}

/** Half the endpoint's round trip from the capture point, to the microsecond (0 until one is seen). */
function oneWay(endpoint: Endpoint): number {
  return endpoint.roundTrip === undefined ? 0 : Math.round(endpoint.roundTrip * 5e5) / 1e6;
}

function isSameSegment(inFlight: InFlightStore, a: number, b: number): boolean {
  const controls = SYN | FIN | RST | ACK;
  return inFlight.seq(a) === inFlight.seq(b) && inFlight.len(a) === inFlight.len(b) &&
    (inFlight.flags(a) & controls) === (inFlight.flags(b) & controls);
}

/** Whether a later segment in the queue repeats the one at `ref`. */
function hasLaterCopy(inFlight: InFlightStore, ref: number): boolean {
  for (let later = inFlight.next(ref); later !== NO_ARRIVAL; later = inFlight.next(later)) {
    if (isSameSegment(inFlight, later, ref)) return true;
  }
  return false;
}
