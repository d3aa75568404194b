import { flagNames } from '../decode/tcpHeader';
import { seqAdd } from '../tcp/seq';
import type { Segment } from '../tcp/segment';

export interface LabelOptions {
  /** Relative sequence numbers as Wireshark shows them (default) or the raw 32-bit values. */
  relative: boolean;
  /** Flags, numbers and length only: no window, no options (two diagrams side by side, where width is scarce). */
  compact?: boolean;
}

/** e.g. `SYN seq=0 win=64240 mss=1460 ws=7 sack_perm`, or `PSH,ACK seq=1 ack=1 len=100 win=64256` (the window in bytes, scaled as agreed). */
export function segmentLabel(segment: Segment, options: LabelOptions): string {
  const parts = [flagNames(segment.flags).join(',') || '(no flags)'];
  parts.push(`seq=${options.relative ? segment.relSeq : segment.seq}`);
  if (segment.flags & 0x010) parts.push(`ack=${options.relative ? segment.relAck : segment.ack}`);
  if (segment.len > 0) parts.push(`len=${segment.len}`);
  if (options.compact) return parts.join(' ');
  parts.push(`win=${segment.windowSize}`);
  const o = segment.options;
  if (o) {
    if (o.mss !== undefined) parts.push(`mss=${o.mss}`);
    if (o.windowScale !== undefined) parts.push(`ws=${o.windowScale}`);
    if (o.sackPermitted) parts.push('sack_perm');
    if (o.sack?.length) {
      // SACK edges are in the peer's sequence space, the same one the ACK number counts in.
      const base = seqAdd(segment.ack, -segment.relAck);
      const edge = (n: number) => (options.relative ? seqAdd(n, -base) : n);
      parts.push(`sack=${o.sack.map(([l, r]) => `${edge(l)}-${edge(r)}`).join(',')}`);
    }
  }
  return parts.join(' ');
}
