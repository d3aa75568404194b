import { ACK, FIN, RST, SYN } from '../decode/tcpHeader';
import { NONE, sequenceLength, type AnalysisFlag, type Segment } from './segment';
import type { RecordPool } from './recordPool';
import { seqAdd, seqGt, seqLe, seqLt } from './seq';

/**
 * What Wireshark's analysis remembers about each direction of a connection, as offsets into the connection's record
 * in a pool (NaN: not known yet). A direction's fields start at 0 (sent by the client) or DIRECTION (by the server).
 */
const BASE_SEQ = 0;
const NEXT_SEQ = 1;
const NEXT_SEQ_TIME = 2;
const MAX_SEQ_TO_BE_ACKED = 3;
const LAST_ACK = 4;
const LAST_ACK_TIME = 5;
const WINDOW = 6;
/** -1 unknown, -2 no scaling negotiated, else the shift. */
const WINDOW_SCALE = 7;
const OFFERED_SCALE = 8;
/** 1 once this direction sent a SYN. */
const SAW_SYN = 9;
const DUP_ACK_COUNT = 10;
/** 1 if the direction's last segment was a keep-alive, or a zero-window probe. */
const LAST_KEEP_ALIVE = 11;
const LAST_ZERO_WINDOW_PROBE = 12;
const DIRECTION = 13;
const SYN_TIME = 2 * DIRECTION;
const HANDSHAKE_RTT = SYN_TIME + 1;
/** Numbers per connection. */
export const ANALYSIS_RECORD_SIZE = HANDSHAKE_RTT + 1;

const known = (n: number): boolean => !Number.isNaN(n);

const OUT_OF_ORDER_DEFAULT = 0.003;
const FAST_RETRANSMISSION_WINDOW = 0.02;

/**
 * Per-segment analysis with the names and rules of Wireshark's TCP expert analysis (packet-tcp.c,
 * tcp_analyze_sequence_number), so that results can be checked against tshark. It sees segments in capture order
 * and also fills in relative sequence numbers.
 */
export class SegmentAnalyzer {
  private readonly s: Float64Array;
  private readonly at: number;

  /** The analyzer's state is a record of `pool`'s (of ANALYSIS_RECORD_SIZE numbers). */
  constructor(pool: RecordPool) {
    ({ page: this.s, at: this.at } = pool.allocate());
    for (const d of [this.at, this.at + DIRECTION]) {
      this.s[d + NEXT_SEQ_TIME] = 0;
      this.s[d + LAST_ACK_TIME] = 0;
      this.s[d + WINDOW_SCALE] = -1;
      this.s[d + SAW_SYN] = 0;
      this.s[d + DUP_ACK_COUNT] = 0;
      this.s[d + LAST_KEEP_ALIVE] = 0;
      this.s[d + LAST_ZERO_WINDOW_PROBE] = 0;
    }
  }

  /** Forgets what a direction's sequence analysis knew (not its base or window scale): a new session starts in it. */
  private startAgain(d: number): void {
    const s = this.s;
    s[d + NEXT_SEQ] = s[d + MAX_SEQ_TO_BE_ACKED] = s[d + LAST_ACK] = s[d + WINDOW] = NaN;
    s[d + NEXT_SEQ_TIME] = s[d + LAST_ACK_TIME] = s[d + DUP_ACK_COUNT] = s[d + LAST_KEEP_ALIVE] = s[d + LAST_ZERO_WINDOW_PROBE] = 0;
  }

  /** Handshake round-trip time: SYN to the ACK that completes the handshake (Wireshark's iRTT). */
  get handshakeRtt(): number | undefined {
    const rtt = this.s[this.at + HANDSHAKE_RTT]!;
    return known(rtt) ? rtt : undefined;
  }

  /**
   * A segment its apparent sender did not send (see EndpointModel.injected): numbered relative to the real endpoints'
   * bases where known, and kept out of everything the analysis tracks, so that no flag of a real segment counts it.
   */
  analyzeInjected(segment: Segment): void {
    const s = this.s;
    const fwd = this.at + (segment.fromClient ? 0 : DIRECTION);
    const rev = this.at + (segment.fromClient ? DIRECTION : 0);
    const base = s[fwd + BASE_SEQ]!;
    const revBase = s[rev + BASE_SEQ]!;
    segment.relSeq = known(base) ? seqAdd(segment.seq, -base) : 0;
    segment.relAck = segment.flags & ACK && known(revBase) ? seqAdd(segment.ack, -revBase) : 0;
    const shift = segment.flags & SYN ? -2 : s[fwd + WINDOW_SCALE]!;
    segment.windowShift = shift;
    segment.windowSize = shift >= 0 ? segment.window * 2 ** shift : segment.window;
    segment.analysis = NONE;
  }

  analyze(segment: Segment, reusedPorts = false): void {
    const s = this.s;
    const fwd = this.at + (segment.fromClient ? 0 : DIRECTION);
    const rev = this.at + (segment.fromClient ? DIRECTION : 0);
    const { seq, ack, len, flags, window, time } = segment;
    const hasAck = (flags & ACK) !== 0;
    const control = (flags & (SYN | FIN | RST)) !== 0;
    // Most segments show nothing: the list is made only when the first flag is found.
    let result: AnalysisFlag[] | undefined = reusedPorts ? ['reused_ports'] : undefined;

    // Relative numbers count from the direction's SYN: its first, taking over from a base guessed from a segment seen
    // before it (as Wireshark guesses: an RST first, maybe forged), or one with a new ISN before the handshake is
    // complete (a bogus SYN,ACK first). A SYN with a new ISN later (forged, in ESTABLISHED) leaves them alone.
    const base = s[fwd + BASE_SEQ]!;
    // A SYN,ACK whose ISN is not the base its direction already has (a refusal's RST, an earlier SYN,ACK): tshark's
    // "port numbers reused" (a SYN with a new ISN starts a new connection instead: the tracker flags it).
    // As tshark, the direction's sequence analysis then starts again from it.
    if ((flags & (SYN | ACK)) === (SYN | ACK) && known(base) && base !== seq && !reusedPorts) {
      (result ??= []).push('reused_ports');
      this.startAgain(fwd);
    }
    const rebase = !s[fwd + SAW_SYN] || (base !== seq && !known(s[this.at + HANDSHAKE_RTT]!));
    if (flags & SYN ? rebase : !known(base)) s[fwd + BASE_SEQ] = flags & SYN ? seq : seqAdd(seq, -1);
    if (!known(s[rev + BASE_SEQ]!) && hasAck) s[rev + BASE_SEQ] = seqAdd(ack, -1);
    this.trackHandshake(segment, fwd, rev);
    segment.relSeq = seqAdd(seq, -s[fwd + BASE_SEQ]!);
    segment.relAck = hasAck && known(s[rev + BASE_SEQ]!) ? seqAdd(ack, -s[rev + BASE_SEQ]!) : 0;
    // A SYN's window is never scaled (RFC 7323 §2.2); the sender's own agreed shift applies to everything after.
    const shift = flags & SYN ? -2 : s[fwd + WINDOW_SCALE]!;
    segment.windowShift = shift;
    segment.windowSize = shift >= 0 ? window * 2 ** shift : window;

    const nextSeq = s[fwd + NEXT_SEQ]!;
    const lastAck = s[fwd + LAST_ACK]!;
    const revLastAck = s[rev + LAST_ACK]!;
    const probe = len === 1 && seq === nextSeq && s[rev + WINDOW] === 0;
    let keepAlive = false;
    if (probe) {
      (result ??= []).push('zero_window_probe');
    } else {
      if (window === 0 && !control) (result ??= []).push('zero_window');
      if (known(nextSeq) && seqGt(seq, nextSeq) && !(flags & RST)) (result ??= []).push('lost_segment');
      if (len <= 1 && known(nextSeq) && seq === seqAdd(nextSeq, -1) && !control) {
        keepAlive = true;
        (result ??= []).push('keep_alive');
      }
      const repeatsAck = len === 0 && seq === nextSeq && ack === lastAck && !control;
      const sameWindow = window === s[fwd + WINDOW];
      if (repeatsAck && window !== 0 && !sameWindow) (result ??= []).push('window_update');
      const revScale = s[rev + WINDOW_SCALE]!;
      if (len > 0 && revScale !== -1 && known(revLastAck) && known(s[rev + WINDOW]!) && !control) {
        const shift = revScale === -2 ? 0 : revScale;
        if (seqAdd(seq, len) === seqAdd(revLastAck, s[rev + WINDOW]! * 2 ** shift)) (result ??= []).push('window_full');
      }
      if (repeatsAck && window !== 0 && sameWindow && s[rev + LAST_KEEP_ALIVE]) {
        (result ??= []).push('keep_alive_ack');
      } else if (repeatsAck && window === 0 && sameWindow && s[rev + LAST_ZERO_WINDOW_PROBE]) {
        (result ??= []).push('zero_window_probe_ack');
      } else if (repeatsAck && window !== 0 && sameWindow) {
        const count = ++s[fwd + DUP_ACK_COUNT]!;
        (result ??= []).push('duplicate_ack');
        segment.dupAckNum = count;
      }
    }
    if (ack !== lastAck) s[fwd + DUP_ACK_COUNT] = 0;

    // "ACKed unseen segment" once per gap, as tshark 4.0 says it (matched on crafted captures and a public corpus):
    // an ACK beyond what the peer's segments were expected to be acked up to. Where the peer was seen to send more
    // (a gap before it), that catches up; where it was not, it is said again only once the peer's own ACK number has
    // changed (its duplicate-ACK count, set to -1 here, says so: it is reset when that ACK changes).
    const maxToBeAcked = s[rev + MAX_SEQ_TO_BE_ACKED]!;
    if (hasAck && known(maxToBeAcked) && seqGt(ack, maxToBeAcked)) {
      const revBase = s[rev + BASE_SEQ]!;
      if (seqAdd(maxToBeAcked, -revBase) < seqAdd(s[rev + NEXT_SEQ]!, -revBase)) {
        s[rev + MAX_SEQ_TO_BE_ACKED] = s[rev + NEXT_SEQ]!;
        (result ??= []).push('ack_lost_segment');
      } else {
        if (s[rev + DUP_ACK_COUNT] === 0) (result ??= []).push('ack_lost_segment');
        s[rev + DUP_ACK_COUNT] = -1;
      }
    }

    if ((len > 0 || flags & (SYN | FIN)) && !keepAlive) {
      let notAdvanced = known(nextSeq) && seqLt(seq, nextSeq);
      // More than one byte starting one before nextseq follows a zero-window probe: it really adds data.
      if (len > 1 && known(nextSeq) && seqAdd(nextSeq, -1) === seq) notAdvanced = false;
      const rtt = s[this.at + HANDSHAKE_RTT]!;
      const threshold = known(rtt) ? rtt : OUT_OF_ORDER_DEFAULT;
      // tshark 4.0's order: data the peer has already acknowledged is a spurious retransmission (which is also a
      // retransmission), whether or not it advances; then fast retransmission, out-of-order (a SYN or FIN counting
      // one), and any other segment that does not advance is a retransmission.
      if (len > 0 && known(revLastAck) && revLastAck !== 0 && seqLe(seqAdd(seq, len), revLastAck)) {
        (result ??= []).push('spurious_retransmission', 'retransmission');
      } else if (notAdvanced && s[rev + DUP_ACK_COUNT]! >= 2 && revLastAck === seq && time - s[rev + LAST_ACK_TIME]! < FAST_RETRANSMISSION_WINDOW) {
        // Wireshark marks a fast retransmission as a retransmission too (tcp.analysis.retransmission matches it).
        (result ??= []).push('fast_retransmission', 'retransmission');
      } else if (notAdvanced && time - s[fwd + NEXT_SEQ_TIME]! < threshold && nextSeq !== seqAdd(seq, sequenceLength(flags, len))) {
        (result ??= []).push('out_of_order');
      } else if (notAdvanced) {
        (result ??= []).push('retransmission');
      }
    }

    const end = seqAdd(seq, len + (flags & (SYN | FIN) ? 1 : 0));
    if ((!known(nextSeq) || seqGt(end, nextSeq)) && !probe) {
      s[fwd + NEXT_SEQ] = end;
      s[fwd + NEXT_SEQ_TIME] = time;
    }
    const maxSeqToBeAcked = s[fwd + MAX_SEQ_TO_BE_ACKED]!;
    if ((!known(maxSeqToBeAcked) || seq === maxSeqToBeAcked) && !probe) s[fwd + MAX_SEQ_TO_BE_ACKED] = s[fwd + NEXT_SEQ]!;
    s[fwd + WINDOW] = window;
    s[fwd + LAST_ACK] = ack;
    s[fwd + LAST_ACK_TIME] = time;
    const flagged: readonly AnalysisFlag[] = result ?? NONE;
    s[fwd + LAST_KEEP_ALIVE] = flagged.includes('keep_alive') ? 1 : 0;
    s[fwd + LAST_ZERO_WINDOW_PROBE] = flagged.includes('zero_window_probe') ? 1 : 0;
    segment.analysis = flagged;
  }

  private trackHandshake(segment: Segment, fwd: number, rev: number): void {
    const s = this.s;
    const { flags } = segment;
    if (flags & SYN) {
      // Timed from the last SYN before the handshake completes: a retried SYN is the one that was answered.
      if (!(flags & ACK) && !known(s[this.at + HANDSHAKE_RTT]!)) s[this.at + SYN_TIME] = segment.time;
      s[fwd + SAW_SYN] = 1;
      s[fwd + OFFERED_SCALE] = segment.options?.windowScale ?? NaN;
      if (flags & ACK && s[rev + SAW_SYN]) {
        const both = known(s[fwd + OFFERED_SCALE]!) && known(s[rev + OFFERED_SCALE]!);
        s[fwd + WINDOW_SCALE] = both ? s[fwd + OFFERED_SCALE]! : -2;
        s[rev + WINDOW_SCALE] = both ? s[rev + OFFERED_SCALE]! : -2;
      }
    } else if (flags & ACK && !known(s[this.at + HANDSHAKE_RTT]!) && known(s[this.at + SYN_TIME]!) && s[rev + SAW_SYN] && s[fwd + SAW_SYN]) {
      s[this.at + HANDSHAKE_RTT] = segment.time - s[this.at + SYN_TIME]!;
    }
  }
}
