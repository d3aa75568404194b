import type { TcpPacket } from '../decode/packet';
import { ACK, FIN, flagBit, PSH, RST, SYN } from '../decode/tcpHeader';
import { seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt } from '../tcp/seq';
import type { TcpState } from '../tcp/states';
import { ipv4Bytes, ipv6Bytes } from '../decode/address';
import type { AppCall, Position, Scenario, SeqValue, Step } from './ast';
import { PROFILES, rfcWithMsl, TIME_WAIT_OVER, timeWaitReason, type Profile, type ProfileName } from './profiles';

export interface SimulationOptions {
  /** Maximum segment lifetime of the `rfc` profile, seconds (TIME_WAIT = 2×MSL). */
  msl?: number;
  /** Whose TCP the endpoints are where the scenario does not say (default `rfc`). */
  profile?: ProfileName;
  /** `profile` wins over the scenario's own `profile` line (an endpoint's own still wins). */
  profileOverScenario?: boolean;
  mss?: number;
  /** The simulation stops after this many packets (default 100,000) … */
  maxPackets?: number;
  /** … or this much simulated time, seconds (default one hour), with what it has so far. */
  maxTime?: number;
}

/** Why a simulation stopped before its scenario's end, and at which step. */
export interface SimulationStop {
  message: string;
  at: Position;
}

export interface TrueTransition {
  state: TcpState;
  time: number;
  reason: string;
  /** Order of events at one instant: this change came after every wire packet of a lower `step` seen at its time. */
  step: number;
  /** The segment whose sending or arrival caused the change (undefined for timers and the application's own calls). */
  cause?: WirePacket | undefined;
}

/** One copy of a segment on the wire, as the first endpoint's interface sees it (or would have, had it not been lost). */
export interface WirePacket {
  packet: TcpPacket;
  /** Which endpoint sent it (its index in the scenario). */
  from: 0 | 1;
  sentAt: number;
  lost: boolean;
  /** See TrueTransition.step. */
  step: number;
}

export interface Simulation {
  /** The segments as a capture on the first endpoint's interface would see them, in order. */
  packets: TcpPacket[];
  /**
   * Every segment either endpoint sent, in the order the first endpoint's interface saw them; a segment the second
   * endpoint sent that was lost on its way appears where it would have been seen. Numbered in this order.
   */
  wire: WirePacket[];
  /** What each endpoint really went through, by name: the simulator's own states. */
  truth: Map<string, TrueTransition[]>;
  /** The simulation's clock at the end (it can run on past the last segment, e.g. through TIME_WAIT). */
  endTime: number;
  /** Set when a limit stopped the simulation: what it has is up to there. */
  stopped?: SimulationStop | undefined;
}

interface Wire {
  flags: number;
  seq: number;
  ack: number;
  len: number;
  window: number;
  /** When it (last) went out, for a round-trip sample when it is acknowledged. */
  sentAt?: number;
  /** It went out again: its ACK says nothing of the round trip (Karn), unless timestamps tell which copy it answers. */
  again?: boolean;
}

interface Tcb {
  name: string;
  index: 0 | 1;
  address: number[];
  port: number;
  state: TcpState;
  passive: boolean;
  iss: number;
  sndUna: number;
  sndNxt: number;
  rcvNxt: number;
  /** Bytes the application gave but TCP has not sent yet. */
  unsent: number;
  finQueued: boolean;
  finSeq: number | undefined;
  /** Sent segments not yet acknowledged, oldest first. */
  unacked: Wire[];
  rto: number;
  /** Smoothed round-trip time and its variation (RFC 6298), once measured; only profiles with a minRto measure. */
  srtt: number | undefined;
  rttvar: number;
  /** A delayed ACK is owed and goes out then, unless something the endpoint sends first carries it. */
  delackAt: number | undefined;
  /** It has received data (Linux starts timing its delayed ACKs only then). */
  heardData: boolean;
  /** Retransmissions of the oldest segment so far; past its profile's retries the connection is given up. */
  retries: number;
  rtxAt: number | undefined;
  timeWaitAt: number | undefined;
  closeOnFin: boolean;
  keepaliveIdle: number | undefined;
  /** The application does not read: received bytes stay in the buffer and shrink the advertised window. */
  paused: boolean;
  unread: number;
  /** The peer's last advertised window. */
  sndWnd: number;
  keepaliveAt: number | undefined;
  lastHeard: number;
  /** When it last answered a segment it could not accept (RFC 5961 rate limit, as Linux's tcp_invalid_ratelimit). */
  lastOutOfWindowAck: number | undefined;
  history: TrueTransition[];
  /** Whose TCP it is: its timers and retries. */
  profile: Profile;
  /** When the application called connect (a profile's connect timeout counts from there). */
  connectAt: number | undefined;
}

/** One transmission: a segment as its sender put it on the wire, and the copies of it the capture saw. */
interface Transmission {
  from: Tcb;
  wire: Wire;
  sentAt: number;
  seen: WirePacket[];
}

type Event = { at: number; order: number } & ({ kind: 'arrive'; to: Tcb; tx: Transmission } | { kind: 'timer'; tcb: Tcb });

const WINDOW = 65535;
/** Timer events without a packet between them: past this many, something re-arms for ever. */
const MOST_EVENTS_PER_PACKET = 10;

/**
 * Runs a scenario with a real RFC 9293 endpoint on each side (send and receive sequence variables, acceptability
 * checks, retransmission with a timeout, TIME_WAIT for 2×MSL, RFC 5961 challenge ACKs) over a network with a delay each
 * way and the losses, duplicates and reorderings the scenario asks for. Application calls drive both endpoints;
 * sequence numbers come from the endpoints, except in injected segments.
 */
export function simulate(scenario: Scenario, options: SimulationOptions = {}): Simulation {
  const msl = options.msl ?? 120;
  const mss = options.mss ?? 1460;
  const maxPackets = options.maxPackets ?? 100_000;
  const maxTime = options.maxTime ?? 3600;
  let stopped: SimulationStop | undefined;
  let events = 0;
  /** The step being run, for a message that says where the scenario went on for ever. */
  let currentStep: Position = { line: 1, column: 1 };
  // An endpoint's own profile, else the scenario's, else the run's (for a comparison, the run's before the scenario's).
  const profileOf = (name: ProfileName) => (name === 'rfc' ? rfcWithMsl(msl) : PROFILES[name]);
  const chosen = options.profileOverScenario ? options.profile ?? scenario.profile : scenario.profile ?? options.profile;
  const profiles = scenario.endpoints.map((e) => profileOf(e.profile ?? chosen ?? 'rfc'));
  let now = 0;
  let order = 0;
  let step = 0;
  const delay = [[0.01, 0.01], [0.01, 0.01]];
  const rules: Array<Extract<Step, { kind: 'lose' | 'duplicate' | 'reorder' }> & { used: boolean }> = [];
  const held: Transmission[] = [];
  const queue: Event[] = [];
  const wirePackets: WirePacket[] = [];
  /** Which transmission caused each true transition, until the capture has numbered its copies. */
  const causes = new Map<TrueTransition, Transmission | WirePacket>();
  const tcbs = scenario.endpoints.map((e, index): Tcb => ({
    name: e.name, index: index as 0 | 1, address: addressBytes(e.address ?? defaultAddress(scenario, index)), port: e.port ?? (index === 0 ? 41000 : 80),
    state: 'CLOSED', passive: false, iss: index === 0 ? 1_000_000 : 2_000_000, sndUna: 0, sndNxt: 0, rcvNxt: 0, unsent: 0,
    profile: profiles[index]!, connectAt: undefined,
    finQueued: false, finSeq: undefined, unacked: [], rto: profiles[index]!.initialRto.value, srtt: undefined, rttvar: 0, delackAt: undefined, heardData: false,
    retries: 0, rtxAt: undefined, timeWaitAt: undefined,
    closeOnFin: false, keepaliveIdle: undefined, paused: false, unread: 0, sndWnd: WINDOW, keepaliveAt: undefined, lastHeard: 0,
    lastOutOfWindowAck: undefined,
    history: [{ state: 'CLOSED', time: 0, reason: 'start', step: -1 }],
  }));
  const byName = new Map(tcbs.map((t) => [t.name, t]));
  const peer = (t: Tcb) => tcbs[1 - t.index]!;
  // Timestamps are used when both ends offer them (RFC 7323); their option then takes its room from every data segment.
  const optionBytes = Math.min(...profiles.map((p) => p.optionBytes?.value ?? 0));
  const timestamps = optionBytes > 0;
  const segmentSize = mss - optionBytes;
  const ownWindow = (t: Tcb) => Math.max(0, WINDOW - t.unread);

  const enterBy = (t: Tcb, state: TcpState, reason: string, cause?: Transmission | WirePacket) => {
    if (t.state === state) return;
    t.state = state;
    const transition: TrueTransition = { state, time: now, reason: state === 'TIME_WAIT' ? timeWaitReason(reason, t.profile) : reason, step: step++ };
    t.history.push(transition);
    if (cause) causes.set(transition, cause);
    if (state === 'TIME_WAIT') schedule(t, now + t.profile.timeWait.value, 'timeWait');
    if (state === 'CLOSED' || state === 'LISTEN' || state === 'TIME_WAIT') {
      t.unacked = [];
      t.rtxAt = undefined;
    }
  };

  function capture(tx: Transmission, at: number, lost: boolean): WirePacket {
    const { from, wire } = tx;
    const to = peer(from);
    const addresses = [...from.address, ...to.address];
    const seen: WirePacket = { packet: {
      packet: 0, offset: 0, time: at, ipVersion: from.address.length === 4 ? 4 : 6, addresses: Uint8Array.from(addresses),
      srcAt: 0, dstAt: addresses.length / 2,
      tcp: { srcPort: from.port, dstPort: to.port, seq: wire.seq, ack: wire.ack, flags: wire.flags, window: wire.window, headerLength: 20, options: wire.flags & SYN ? { mss } : undefined },
      payloadLength: wire.len, truncated: false, ipLengthCut: undefined, layers: undefined, fragments: undefined,
    }, from: from.index, sentAt: tx.sentAt, lost, step: step++ };
    wirePackets.push(seen);
    tx.seen.push(seen);
    return seen;
  }

  function schedule(t: Tcb, at: number, what: 'rtx' | 'timeWait' | 'keepalive' | 'delack'): void {
    if (what === 'rtx') t.rtxAt = at;
    else if (what === 'keepalive') t.keepaliveAt = at;
    else if (what === 'delack') t.delackAt = at;
    else t.timeWaitAt = at;
    queue.push({ at, order: order++, kind: 'timer', tcb: t });
  }

  /** Puts a segment on the wire: captured at the first endpoint's interface, delayed, perhaps lost or repeated. */
  function transmit(from: Tcb, wire: Wire, track = true): Transmission {
    const to = peer(from);
    const tx: Transmission = { from, wire, sentAt: now, seen: [] };
    wire.sentAt = now;
    if (wire.flags & ACK) from.delackAt = undefined; // it carries the ACK that was owed
    if (track && (wire.len > 0 || wire.flags & (SYN | FIN))) {
      from.unacked.push(wire);
      if (from.rtxAt === undefined) schedule(from, now + from.rto, 'rtx');
    }
    const rule = rules.find((r) => !r.used && r.from === from.name && r.flags.every((f) => wire.flags & flagBit(f)));
    if (rule) rule.used = true;
    const travel = delay[from.index]![to.index]!;
    const lost = rule?.kind === 'lose';
    // The first endpoint's interface sees what it sends at once; a lost segment of the peer's is drawn where it would
    // have been seen (it is left out of the capture).
    if (from.index === 0) capture(tx, now, lost);
    else if (lost) capture(tx, now + travel, true);
    const deliver = (extra: number) => queue.push({ at: now + travel + extra, order: order++, kind: 'arrive', to, tx });
    if (lost) return tx;
    if (rule?.kind === 'reorder') {
      held.push(tx);
      return tx;
    }
    deliver(0);
    if (rule?.kind === 'duplicate') deliver(0.001);
    // A held segment follows the next one its sender sends.
    const waiting = held.findIndex((h) => h.from === from);
    if (waiting >= 0) {
      const [h] = held.splice(waiting, 1);
      queue.push({ at: now + travel + 0.001, order: order++, kind: 'arrive', to, tx: h! });
    }
    return tx;
  }

  const send = (t: Tcb, flags: number, len = 0) => {
    const wire: Wire = { flags, seq: flags & SYN ? t.iss : t.sndNxt, ack: flags & ACK ? t.rcvNxt : 0, len, window: ownWindow(t) };
    if (!(flags & RST)) t.sndNxt = seqAdd(wire.seq, len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0));
    return transmit(t, wire);
  };
  const reset = (t: Tcb, seq: number, ack?: number) =>
    transmit(t, { flags: ack === undefined ? RST : RST | ACK, seq, ack: ack ?? 0, len: 0, window: 0 }, false);

  /** Sends what the application queued (data, then a FIN), or a bare ACK when one is owed and nothing else goes. */
  function output(t: Tcb, owesAck: boolean): void {
    const synchronized = t.state === 'ESTABLISHED' || t.state === 'CLOSE_WAIT';
    let sent = false;
    while (synchronized && t.unsent > 0) {
      const usable = Math.max(0, seqDiff(seqAdd(t.sndUna, t.sndWnd), t.sndNxt));
      // A zero window: one byte goes out as a probe (RFC 9293 §3.8.6.1); its retransmissions keep probing.
      const probe = t.sndWnd === 0 && t.unacked.length === 0;
      const len = Math.min(segmentSize, t.unsent, probe ? 1 : usable);
      if (len <= 0) break;
      t.unsent -= len;
      send(t, ACK | (t.unsent === 0 ? PSH : 0), len);
      sent = true;
      if (probe) break;
    }
    if (t.finQueued && t.unsent === 0 && t.finSeq === undefined && (synchronized || t.state === 'SYN_RECEIVED')) {
      t.finSeq = t.sndNxt;
      const fin = send(t, FIN | ACK);
      enterBy(t, t.state === 'CLOSE_WAIT' ? 'LAST_ACK' : 'FIN_WAIT_1', 'application closed: sent FIN', fin);
      sent = true;
    }
    if (owesAck && !sent) send(t, ACK);
  }

  /**
   * The ACK a received FIN is owed, delayed where the profile says so (see Profile.delayedAck) and data came before it
   * (Linux's delayed-ACK timeout starts at zero and is set on the first data).
   */
  function ackFin(t: Tcb): void {
    const delay = t.profile.delayedAck?.value;
    if (delay === undefined || !t.heardData || t.finQueued) output(t, true);
    else {
      output(t, false);
      schedule(t, now + delay, 'delack');
    }
  }

  function app(t: Tcb, call: AppCall): void {
    switch (call.kind) {
      case 'listen':
        if (t.state === 'CLOSED') {
          t.passive = true;
          enterBy(t, 'LISTEN', 'application: listen');
        }
        break;
      case 'connect':
        if (t.state === 'CLOSED' || t.state === 'LISTEN') {
          t.passive = false;
          t.sndUna = t.iss;
          t.connectAt = now;
          const syn = send(t, SYN);
          enterBy(t, 'SYN_SENT', 'application: connect, sent SYN', syn);
        }
        break;
      case 'send':
        t.unsent += call.bytes;
        output(t, false);
        break;
      case 'shutdown':
      case 'close':
        if (t.state === 'LISTEN' || t.state === 'SYN_SENT') enterBy(t, 'CLOSED', 'application: close');
        else {
          t.finQueued = true;
          output(t, false);
        }
        break;
      case 'closeOnFin':
        t.closeOnFin = true;
        break;
      case 'keepalive':
        t.keepaliveIdle = call.seconds;
        schedule(t, Math.max(now, t.lastHeard) + call.seconds, 'keepalive');
        break;
      case 'pause':
        t.paused = true;
        break;
      case 'resume':
        t.paused = false;
        if (t.unread > 0) {
          t.unread = 0;
          if (t.state !== 'CLOSED') send(t, ACK); // a window update
        }
        break;
      case 'abort': {
        const rst = t.state !== 'CLOSED' && t.state !== 'LISTEN' && t.state !== 'SYN_SENT' ? reset(t, t.sndNxt, t.rcvNxt) : undefined;
        enterBy(t, 'CLOSED', rst ? 'application: abort, sent RST' : 'application: abort', rst);
        break;
      }
    }
  }

  function arrive(t: Tcb, tx: Transmission): void {
    const w = tx.wire;
    // What arrived: the copy the first endpoint's interface saw now, or the one it saw when it was sent.
    const cause = t.index === 0 ? capture(tx, now, false) : tx.seen[0]!;
    const enter = (who: Tcb, state: TcpState, reason: string) => enterBy(who, state, reason, cause);
    t.lastHeard = now;
    const space = w.len + (w.flags & SYN ? 1 : 0) + (w.flags & FIN ? 1 : 0);
    switch (t.state) {
      case 'CLOSED':
        if (!(w.flags & RST)) w.flags & ACK ? reset(t, w.ack) : reset(t, 0, seqAdd(w.seq, space));
        return;
      case 'LISTEN':
        if (w.flags & RST) return;
        if (w.flags & ACK) {
          reset(t, w.ack);
          return;
        }
        if (w.flags & SYN) {
          t.rcvNxt = seqAdd(w.seq, 1);
          t.sndUna = t.iss;
          enter(t, 'SYN_RECEIVED', 'received SYN');
          send(t, SYN | ACK);
        }
        return;
      case 'SYN_SENT': {
        const ackOk = !!(w.flags & ACK) && seqGt(w.ack, t.iss) && seqLe(w.ack, t.sndNxt);
        if (w.flags & ACK && !ackOk) {
          if (!(w.flags & RST)) reset(t, w.ack);
          return;
        }
        if (w.flags & RST) {
          if (ackOk) enter(t, 'CLOSED', 'received RST,ACK: connection refused');
          return;
        }
        if (!(w.flags & SYN)) return;
        t.rcvNxt = seqAdd(w.seq, 1);
        if (ackOk) {
          acknowledge(t, w.ack);
          enter(t, 'ESTABLISHED', 'received SYN,ACK');
          output(t, true);
        } else {
          enter(t, 'SYN_RECEIVED', 'received SYN: simultaneous open');
          transmit(t, { flags: SYN | ACK, seq: t.iss, ack: t.rcvNxt, len: 0, window: ownWindow(t) }, false);
        }
        return;
      }
    }
    // Synchronized states (and SYN_RECEIVED): RFC 9293 §3.10.7.4. With a zero receive window only a zero-length
    // segment at RCV.NXT is acceptable.
    const rcvWnd = ownWindow(t);
    const inWindow = rcvWnd === 0 ? space === 0 && w.seq === t.rcvNxt
      : space === 0 ? (seqGe(w.seq, t.rcvNxt) && seqLt(w.seq, seqAdd(t.rcvNxt, rcvWnd))) || w.seq === t.rcvNxt
        : seqLt(w.seq, seqAdd(t.rcvNxt, rcvWnd)) && seqGt(seqAdd(w.seq, space), t.rcvNxt);
    if (w.flags & RST) {
      if (w.seq === t.rcvNxt) enter(t, t.state === 'SYN_RECEIVED' && t.passive ? 'LISTEN' : 'CLOSED', 'received RST');
      else if (inWindow) answerUnacceptable(t); // RFC 5961 §3: a challenge ACK
      return;
    }
    if (!inWindow) {
      // An old duplicate (a retransmitted FIN in TIME_WAIT among them) is answered with an ACK.
      if (t.state === 'TIME_WAIT' && w.flags & FIN) schedule(t, now + t.profile.timeWait.value, 'timeWait');
      answerUnacceptable(t);
      return;
    }
    if (w.flags & SYN && !(t.state === 'SYN_RECEIVED' && w.seq === seqAdd(t.rcvNxt, -1))) {
      answerUnacceptable(t); // RFC 5961 §4: a SYN in a synchronized state gets a challenge ACK
      return;
    }
    if (!(w.flags & ACK)) return;
    if (t.state === 'SYN_RECEIVED') {
      if (seqGt(w.ack, t.sndUna) && seqLe(w.ack, t.sndNxt)) enter(t, 'ESTABLISHED', 'received the ACK of its SYN');
      else {
        reset(t, w.ack);
        return;
      }
    }
    if (seqGt(w.ack, t.sndNxt)) {
      answerUnacceptable(t);
      return;
    }
    acknowledge(t, w.ack);
    const reopened = t.sndWnd === 0 && w.window > 0;
    t.sndWnd = w.window;
    if (reopened) rewind(t);
    // A zero window answered is a live peer whose application is busy: keep probing (RFC 9293 §3.8.6.1), never give up.
    if (w.window === 0) t.retries = 0;
    const finAcked = t.finSeq !== undefined && seqGt(w.ack, t.finSeq);
    if (t.state === 'FIN_WAIT_1' && finAcked) enter(t, 'FIN_WAIT_2', 'received the ACK of its FIN');
    else if (t.state === 'CLOSING' && finAcked) enter(t, 'TIME_WAIT', 'received the ACK of its FIN');
    else if (t.state === 'LAST_ACK' && finAcked) {
      enter(t, 'CLOSED', 'received the ACK of its FIN');
      return;
    }
    let owesAck = false;
    let toCloseWait = false;
    if (w.len > 0 && w.seq === t.rcvNxt) {
      t.rcvNxt = seqAdd(t.rcvNxt, w.len);
      t.heardData = true;
      if (t.paused) t.unread += w.len;
      owesAck = true;
    } else if (w.len > 0) {
      owesAck = true; // out of order: a duplicate ACK
    }
    if (w.flags & FIN && seqAdd(w.seq, w.len) === t.rcvNxt) {
      t.rcvNxt = seqAdd(t.rcvNxt, 1);
      owesAck = true;
      if (t.state === 'ESTABLISHED' || t.state === 'SYN_RECEIVED') {
        enter(t, 'CLOSE_WAIT', 'received FIN');
        toCloseWait = true;
        // An application that closes on end-of-file: the FIN goes out with the ACK of the peer's.
        if (t.closeOnFin) t.finQueued = true;
      }
      else if (t.state === 'FIN_WAIT_1') enter(t, 'CLOSING', 'received FIN before the ACK of its own');
      else if (t.state === 'FIN_WAIT_2') enter(t, 'TIME_WAIT', 'received FIN');
      else if (t.state === 'TIME_WAIT') schedule(t, now + t.profile.timeWait.value, 'timeWait');
    }
    if (toCloseWait) ackFin(t);
    else output(t, owesAck);
  }

  /**
   * The ACK that answers a segment it cannot accept (out of the window, an ACK of data never sent, a challenge ACK), at
   * most once per its profile's invalidAckInterval (500 ms, as Linux): two endpoints that cannot accept each other's segments
   * (after an injected one) would otherwise answer each other for ever.
   */
  function answerUnacceptable(t: Tcb): void {
    if (t.lastOutOfWindowAck !== undefined && now - t.lastOutOfWindowAck < t.profile.invalidAckInterval.value) return;
    t.lastOutOfWindowAck = now;
    send(t, ACK);
  }

  /** The window opened again: what was sent into it as probes goes again from SND.UNA, with the data behind it. */
  function rewind(t: Tcb): void {
    const data = t.unacked.filter((u) => !(u.flags & (SYN | FIN))).reduce((n, u) => n + u.len, 0);
    if (data === 0 || t.unacked.some((u) => u.flags & (SYN | FIN))) return;
    t.unsent += data;
    t.sndNxt = t.sndUna;
    t.unacked = [];
    t.rtxAt = undefined;
    t.rto = baseRto(t);
    t.retries = 0;
  }

  /** The timeout without backoff: from the measured round trip where the profile measures it, else the initial one. */
  function baseRto(t: Tcb): number {
    const { minRto, initialRto, maxRto } = t.profile;
    if (!minRto || t.srtt === undefined) return initialRto.value;
    return Math.min(maxRto.value, t.srtt + Math.max(4 * t.rttvar, minRto.value));
  }

  /** A round-trip sample (RFC 6298 (2.2)–(2.3)), taken where the profile measures. */
  function measure(t: Tcb, sample: number): void {
    if (!t.profile.minRto) return;
    if (t.srtt === undefined) {
      t.srtt = sample;
      t.rttvar = sample / 2;
    } else {
      t.rttvar = 0.75 * t.rttvar + 0.25 * Math.abs(t.srtt - sample);
      t.srtt = 0.875 * t.srtt + 0.125 * sample;
    }
  }

  function acknowledge(t: Tcb, ack: number): void {
    if (!seqGt(ack, t.sndUna)) return;
    t.sndUna = ack;
    const end = (w: Wire) => seqAdd(w.seq, w.len + (w.flags & SYN ? 1 : 0) + (w.flags & FIN ? 1 : 0));
    // The oldest segment this ACK covers, as Linux samples (a retransmitted one only when timestamps say which copy).
    const covered = t.unacked.find((w) => !seqGt(end(w), ack));
    if (covered?.sentAt !== undefined && (!covered.again || timestamps)) measure(t, now - covered.sentAt);
    t.unacked = t.unacked.filter((w) => seqGt(end(w), ack));
    t.rto = baseRto(t);
    t.retries = 0;
    t.rtxAt = undefined;
    if (t.unacked.length) schedule(t, now + t.rto, 'rtx');
  }

  function timer(t: Tcb, at: number): void {
    if (t.delackAt === at) {
      t.delackAt = undefined;
      if (t.state !== 'CLOSED') send(t, ACK);
      return;
    }
    if (t.timeWaitAt === at && t.state === 'TIME_WAIT') {
      enterBy(t, 'CLOSED', t.profile.name === 'rfc' ? '2×MSL timer expired' : TIME_WAIT_OVER);
      return;
    }
    if (t.keepaliveAt === at && t.keepaliveIdle !== undefined) {
      if (t.state !== 'ESTABLISHED') return;
      // A keep-alive probe: no new data, one sequence number back, so the peer must answer with an ACK.
      const idleFor = now - t.lastHeard;
      if (idleFor >= t.keepaliveIdle - 1e-9) {
        transmit(t, { flags: ACK, seq: seqAdd(t.sndNxt, -1), ack: t.rcvNxt, len: 0, window: ownWindow(t) }, false);
        schedule(t, now + t.keepaliveIdle, 'keepalive');
      } else {
        schedule(t, t.lastHeard + t.keepaliveIdle, 'keepalive');
      }
      return;
    }
    if (t.rtxAt !== at || t.unacked.length === 0) return;
    // Retransmission timeout (RFC 6298): resend the oldest unacknowledged segment, back off, as the profile says.
    const first = t.unacked[0]!;
    const { profile } = t;
    const syn = (first.flags & SYN) !== 0;
    const retries = !syn ? profile.dataRetries : first.flags & ACK ? profile.synAckRetries : profile.synRetries;
    const connecting = syn && !(first.flags & ACK) && t.connectAt !== undefined;
    const since = connecting ? now - t.connectAt! + 1e-9 : 0;
    const timedOut = connecting && ((profile.connectTimeout !== undefined && since >= profile.connectTimeout.value) ||
      (profile.synRetryTime !== undefined && since >= profile.synRetryTime.value));
    const counted = !(connecting && profile.synRetryTime !== undefined);
    if ((++t.retries > retries.value && counted) || timedOut) {
      enterBy(t, 'CLOSED', 'retransmission timeout: gave up');
      return;
    }
    first.again = true;
    first.sentAt = now;
    transmit(t, { ...first, ack: first.flags & ACK ? t.rcvNxt : 0 }, false);
    // Linux retries a connect's SYN at its initial timeout a few times before it starts doubling
    // (tcp_syn_linear_timeouts, for active opens only: a SYN,ACK backs off at once).
    const linear = connecting && t.retries <= profile.synLinearRetries.value;
    if (!linear) t.rto = Math.min(profile.maxRto.value, t.rto * 2);
    const next = now + t.rto;
    // A connect timeout ends the waiting at it, not at the next retry.
    const deadline = connecting && profile.connectTimeout ? t.connectAt! + profile.connectTimeout.value : Infinity;
    schedule(t, Math.min(next, deadline), 'rtx');
  }

  /**
   * Runs events up to `until` (or until only timers far away are left, when `until` is undefined), within the limits:
   * past them the simulation stops where it is, with a message naming the step that went on for ever.
   */
  function run(until: number | undefined): void {
    for (;;) {
      queue.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = queue[0];
      // Quiet means nothing in flight and nothing waiting to be retransmitted; probing a zero window waits on the
      // peer's application, so it does not hold the scenario up.
      const busy = queue.some((e) => e.kind === 'arrive') || tcbs.some((t) => t.delackAt !== undefined) ||
        tcbs.some((t) => t.unacked.length > 0 && t.rtxAt !== undefined && t.state !== 'CLOSED' && t.sndWnd > 0);
      if (!next || (until !== undefined && next.at > until) || (until === undefined && !busy)) break;
      if (wirePackets.length >= maxPackets) return stop(`stopped after ${maxPackets.toLocaleString('en')} packets: the endpoints keep sending`);
      if (next.at > maxTime) return stop(`stopped at ${maxTime.toLocaleString('en')} s of simulated time: the scenario goes on longer`);
      if (++events > maxPackets * MOST_EVENTS_PER_PACKET) return stop(`stopped after ${events.toLocaleString('en')} timer events: a timer keeps firing`);
      queue.shift();
      now = Math.max(now, next.at);
      if (next.kind === 'arrive') arrive(next.to, next.tx);
      else timer(next.tcb, next.at);
    }
    if (until === undefined) return;
    now = Math.max(now, Math.min(until, maxTime));
    if (until > maxTime) stop(`stopped at ${maxTime.toLocaleString('en')} s of simulated time: the scenario goes on longer`);
  }

  function stop(reason: string): void {
    stopped = { message: reason, at: currentStep };
  }

  const seqOf = (value: SeqValue | undefined, base: number) => (value === undefined ? base : 'absolute' in value ? value.absolute >>> 0 : seqAdd(base, value.relative));

  for (const step of scenario.steps) {
    if (stopped) break;
    currentStep = step.at;
    switch (step.kind) {
      case 'app':
        app(byName.get(step.endpoint)!, step.call);
        break;
      case 'together':
        for (const s of step.steps) app(byName.get(s.endpoint)!, s.call);
        break;
      case 'delay':
        for (const from of tcbs) {
          for (const to of tcbs) if (from !== to && (!step.from || step.from === from.name) && (!step.to || step.to === to.name)) delay[from.index]![to.index] = step.seconds;
        }
        break;
      case 'lose':
      case 'duplicate':
      case 'reorder':
        rules.push({ ...step, used: false });
        break;
      case 'wait':
        run(now + (step.seconds === 'msl2' ? Math.max(...tcbs.map((t) => t.profile.timeWait.value)) + 0.001 : step.seconds));
        break;
      case 'inject': {
        const t = byName.get(step.from)!;
        const flags = step.flags.reduce((bits, f) => bits | flagBit(f), 0);
        transmit(t, { flags, seq: seqOf(step.seq, t.sndNxt), ack: flags & ACK ? seqOf(step.ack, t.rcvNxt) : 0, len: step.len, window: ownWindow(t) }, false);
        break;
      }
    }
    run(undefined);
  }
  // A lost segment of the peer's was put where it would have been seen: order everything by when it was seen.
  const wire = wirePackets.map((w, i) => ({ w, i })).sort((a, b) => a.w.packet.time - b.w.packet.time || a.i - b.i).map(({ w }) => w);
  wire.forEach((w, i) => (w.packet.packet = i + 1));
  for (const [transition, cause] of causes) transition.cause = 'wire' in cause ? cause.seen[0] : cause;
  // The capture holds what the interface really saw, numbered on its own.
  const packets = wire.filter((w) => !(w.lost && w.from === 1)).map((w, i) => ({ ...w.packet, packet: i + 1 }));
  return { packets, wire, truth: new Map(tcbs.map((t) => [t.name, t.history])), endTime: now, stopped };
}

/** An address as its bytes: 4 for IPv4, 16 for IPv6 (the parser has checked it). */
function addressBytes(text: string): number[] {
  return (text.includes(':') ? ipv6Bytes(text) : ipv4Bytes(text)) ?? [0, 0, 0, 0];
}

/** An endpoint without an address gets one of the other's IP version: 10.0.0.1/2, or 2001:db8::1/2 (for documentation). */
function defaultAddress(scenario: Scenario, index: number): string {
  const ipv6 = scenario.endpoints.some((e) => e.address?.includes(':'));
  return ipv6 ? `2001:db8::${index + 1}` : `10.0.0.${index + 1}`;
}
