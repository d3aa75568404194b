import { ACK, FIN, RST, SYN } from '../decode/tcpHeader';
import { NONE, type AnalysisFlag, type Segment } from './segment';
import { seqAdd, seqGt, seqLe, seqLt } from './seq';

/** What Wireshark's analysis remembers about one direction of a connection. */
interface DirectionState {
  baseSeq: number | undefined;
  nextSeq: number | undefined;
  nextSeqTime: number;
  maxSeqToBeAcked: number | undefined;
  lastAck: number | undefined;
  lastAckTime: number;
  window: number | undefined;
  /** -1 unknown, -2 no scaling negotiated, else the shift. */
  windowScale: number;
  offeredScale: number | undefined;
  sawSyn: boolean;
  dupAckCount: number;
  lastFlags: readonly AnalysisFlag[];
}

function newDirection(): DirectionState {
  return {
    baseSeq: undefined, nextSeq: undefined, nextSeqTime: 0, maxSeqToBeAcked: undefined, lastAck: undefined,
    lastAckTime: 0, window: undefined, windowScale: -1, offeredScale: undefined, sawSyn: false, dupAckCount: 0, lastFlags: [],
  };
}

const OUT_OF_ORDER_DEFAULT = 0.003;
const FAST_RETRANSMISSION_WINDOW = 0.02;

/**
 * Per-segment analysis with the names and rules of Wireshark's TCP expert analysis (packet-tcp.c,
 * tcp_analyze_sequence_number), so that results can be checked against tshark. It sees segments in capture order
 * and also fills in relative sequence numbers.
 */
export class SegmentAnalyzer {
  private readonly directions: [DirectionState, DirectionState] = [newDirection(), newDirection()];
  private synTime: number | undefined;
  /** Handshake round-trip time: SYN to the ACK that completes the handshake (Wireshark's iRTT). */
  handshakeRtt: number | undefined;

  analyze(segment: Segment, reusedPorts = false): void {
    const fwd = this.directions[segment.fromClient ? 0 : 1];
    const rev = this.directions[segment.fromClient ? 1 : 0];
    const { seq, ack, len, flags, window, time } = segment;
    const hasAck = (flags & ACK) !== 0;
    const control = (flags & (SYN | FIN | RST)) !== 0;
    // Most segments show nothing: the list is made only when the first flag is found.
    let result: AnalysisFlag[] | undefined = reusedPorts ? ['reused_ports'] : undefined;

    this.trackHandshake(segment, fwd, rev);
    if (fwd.baseSeq === undefined) fwd.baseSeq = flags & SYN ? seq : seqAdd(seq, -1);
    if (rev.baseSeq === undefined && hasAck) rev.baseSeq = seqAdd(ack, -1);
    segment.relSeq = seqAdd(seq, -fwd.baseSeq);
    segment.relAck = hasAck && rev.baseSeq !== undefined ? seqAdd(ack, -rev.baseSeq) : 0;

    const probe = len === 1 && fwd.nextSeq !== undefined && seq === fwd.nextSeq && rev.window === 0;
    let keepAlive = false;
    if (probe) {
      (result ??= []).push('zero_window_probe');
    } else {
      if (window === 0 && !control) (result ??= []).push('zero_window');
      if (fwd.nextSeq !== undefined && seqGt(seq, fwd.nextSeq) && !(flags & RST)) (result ??= []).push('lost_segment');
      if (len <= 1 && fwd.nextSeq !== undefined && seq === seqAdd(fwd.nextSeq, -1) && !control) {
        keepAlive = true;
        (result ??= []).push('keep_alive');
      }
      const repeatsAck = len === 0 && seq === fwd.nextSeq && ack === fwd.lastAck && !control;
      if (repeatsAck && window !== 0 && window !== fwd.window) (result ??= []).push('window_update');
      if (len > 0 && rev.windowScale !== -1 && rev.lastAck !== undefined && rev.window !== undefined && !control) {
        const shift = rev.windowScale === -2 ? 0 : rev.windowScale;
        if (seqAdd(seq, len) === seqAdd(rev.lastAck, rev.window * 2 ** shift)) (result ??= []).push('window_full');
      }
      if (repeatsAck && window !== 0 && window === fwd.window && rev.lastFlags.includes('keep_alive')) {
        (result ??= []).push('keep_alive_ack');
      } else if (repeatsAck && window === 0 && window === fwd.window && rev.lastFlags.includes('zero_window_probe')) {
        (result ??= []).push('zero_window_probe_ack');
      } else if (repeatsAck && window !== 0 && window === fwd.window) {
        fwd.dupAckCount++;
        (result ??= []).push('duplicate_ack');
        segment.dupAckNum = fwd.dupAckCount;
      }
    }
    if (ack !== fwd.lastAck) fwd.dupAckCount = 0;

    if (hasAck && rev.maxSeqToBeAcked !== undefined && seqGt(ack, rev.maxSeqToBeAcked)) {
      (result ??= []).push('ack_lost_segment');
      rev.maxSeqToBeAcked = rev.nextSeq;
    }

    if ((len > 0 || flags & (SYN | FIN)) && !keepAlive) {
      let notAdvanced = fwd.nextSeq !== undefined && seqLt(seq, fwd.nextSeq);
      // More than one byte starting one before nextseq follows a zero-window probe: it really adds data.
      if (len > 1 && fwd.nextSeq !== undefined && seqAdd(fwd.nextSeq, -1) === seq) notAdvanced = false;
      const threshold = this.handshakeRtt ?? OUT_OF_ORDER_DEFAULT;
      if (notAdvanced && rev.dupAckCount >= 2 && rev.lastAck === seq && time - rev.lastAckTime < FAST_RETRANSMISSION_WINDOW) {
        // Wireshark marks a fast retransmission as a retransmission too (tcp.analysis.retransmission matches it).
        (result ??= []).push('fast_retransmission', 'retransmission');
      } else if (notAdvanced && time - fwd.nextSeqTime < threshold && fwd.nextSeq !== seqAdd(seq, len)) {
        (result ??= []).push('out_of_order');
      } else if (len > 0 && rev.lastAck !== undefined && rev.lastAck !== 0 && seqLe(seqAdd(seq, len), rev.lastAck)) {
        (result ??= []).push('spurious_retransmission');
      } else if (notAdvanced) {
        (result ??= []).push('retransmission');
      }
    }

    const nextSeq = seqAdd(seq, len + (flags & (SYN | FIN) ? 1 : 0));
    if ((fwd.nextSeq === undefined || seqGt(nextSeq, fwd.nextSeq)) && !probe) {
      fwd.nextSeq = nextSeq;
      fwd.nextSeqTime = time;
    }
    if ((fwd.maxSeqToBeAcked === undefined || seq === fwd.maxSeqToBeAcked) && !probe) fwd.maxSeqToBeAcked = fwd.nextSeq;
    fwd.window = window;
    fwd.lastAck = ack;
    fwd.lastAckTime = time;
    fwd.lastFlags = result ?? NONE;
    segment.analysis = result ?? NONE;
  }

  private trackHandshake(segment: Segment, fwd: DirectionState, rev: DirectionState): void {
    const { flags } = segment;
    if (flags & SYN) {
      if (!(flags & ACK) && this.synTime === undefined) this.synTime = segment.time;
      fwd.sawSyn = true;
      fwd.offeredScale = segment.options?.windowScale;
      if (flags & ACK && rev.sawSyn) {
        const both = fwd.offeredScale !== undefined && rev.offeredScale !== undefined;
        fwd.windowScale = both ? fwd.offeredScale! : -2;
        rev.windowScale = both ? rev.offeredScale! : -2;
      }
    } else if (flags & ACK && this.handshakeRtt === undefined && this.synTime !== undefined && rev.sawSyn && fwd.sawSyn) {
      this.handshakeRtt = segment.time - this.synTime;
    }
  }
}
