import { ACK, FIN, SYN } from '../decode/tcpHeader';
import { sequenceLength, type Segment } from './segment';
import { seqAdd, seqGe, seqLe } from './seq';

/**
 * Which copies of retransmitted segments never reached their receiver, as a capture at the sender's side shows it:
 * the segment was sent again, and no ACK or SACK block from the receiver between the two copies covered it. Only where
 * the handshake shows the capture point nearer the sender than the receiver: a copy captured near its receiver did
 * reach the capture point, and what is missing there is a gap instead (Wireshark's "previous segment not captured").
 */
export function lostCopies(segments: readonly Segment[]): Set<number> {
  const lost = new Set<number>();
  const side = capturedBeside(segments);
  if (side === undefined) return lost;
  // Per direction (0: from the client): what the peer has acknowledged so far, and its latest SACK blocks.
  const acked: Array<number | undefined> = [undefined, undefined];
  const sacked: Array<ReadonlyArray<[number, number]>> = [[], []];
  for (const segment of segments) {
    const d = segment.fromClient ? 0 : 1;
    if (segment.flags & ACK) {
      // This segment's ACK speaks of the other direction's data.
      const other = 1 - d;
      if (acked[other] === undefined || seqGe(segment.ack, acked[other]!)) acked[other] = segment.ack;
      sacked[other] = segment.options?.sack ?? [];
    }
    if (segment.fromClient !== (side === 'client') || !isRetransmission(segment)) continue;
    const first = earlierCopy(segments, segment);
    if (first === undefined) continue;
    const end = seqAdd(first.seq, sequenceLength(first.flags, first.len));
    const covered = (acked[d] !== undefined && seqGe(acked[d]!, end)) ||
      sacked[d]!.some(([left, right]) => seqLe(left, first.seq) && seqGe(right, end));
    if (!covered) lost.add(first.index);
  }
  return lost;
}

const isRetransmission = (s: Segment): boolean =>
  s.analysis.includes('retransmission') || s.analysis.includes('fast_retransmission');

/** How far back a retransmission's first copy is looked for: beyond a window's worth of segments it is not found. */
const MOST_BACK = 4096;

/**
 * The previous copy of a retransmitted segment: same direction, sequence number and SYN/FIN/ACK bits (a simultaneous
 * open's SYN,ACK repeats its SYN's number without being a copy of it).
 */
function earlierCopy(segments: readonly Segment[], segment: Segment): Segment | undefined {
  const controls = SYN | FIN | ACK;
  for (let i = segment.index - 1; i >= Math.max(0, segment.index - MOST_BACK); i--) {
    const s = segments[i]!;
    if (s.fromClient === segment.fromClient && s.seq === segment.seq && (s.flags & controls) === (segment.flags & controls) &&
      sequenceLength(s.flags, s.len) > 0) return s;
  }
  return undefined;
}

/**
 * Which endpoint the capture point sat beside, from the handshake: near the client the SYN,ACK → ACK gap is the short
 * one (the client's turn-around), near the server the SYN → SYN,ACK gap. Undefined without a handshake.
 */
function capturedBeside(segments: readonly Segment[]): 'client' | 'server' | undefined {
  const synAck = segments.find((s) => (s.flags & (SYN | ACK)) === (SYN | ACK) && !s.fromClient);
  // The SYN it answered: the last one before it (earlier copies may have been lost).
  let syn: Segment | undefined;
  for (let i = 0; synAck && i < synAck.index; i++) {
    const s = segments[i]!;
    if ((s.flags & (SYN | ACK)) === SYN && s.fromClient) syn = s;
  }
  if (!syn || !synAck) return undefined;
  const ack = segments.find((s) => s.index > synAck.index && s.fromClient && !(s.flags & SYN) && s.flags & ACK);
  if (!ack) return undefined;
  return ack.time - synAck.time <= synAck.time - syn.time ? 'client' : 'server';
}
