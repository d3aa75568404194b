import type { TcpOptions } from '../decode/tcpHeader';
import type { TcpState } from './states';

/** Wireshark's tcp.analysis.* names for what a segment shows. */
export type AnalysisFlag =
  | 'retransmission' | 'fast_retransmission' | 'spurious_retransmission' | 'out_of_order' | 'duplicate_ack'
  | 'zero_window' | 'zero_window_probe' | 'zero_window_probe_ack' | 'window_full' | 'window_update' | 'keep_alive'
  | 'keep_alive_ack' | 'lost_segment' | 'ack_lost_segment' | 'reused_ports';

/** The shared, frozen list for a segment with no analysis flag or anomaly: most segments, so no array each. */
export const NONE: readonly never[] = Object.freeze([]);

export interface Segment {
  /** Position in its connection, from 0. */
  index: number;
  packet: number;
  time: number;
  fromClient: boolean;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  /** The raw window field. */
  window: number;
  /**
   * The window in bytes, as Wireshark's tcp.window_size: the raw field shifted by the scale both SYNs agreed (RFC
   * 7323), unscaled on SYNs and where scaling was not agreed or not seen.
   */
  windowSize: number;
  /** The shift applied to get `windowSize`: -1 when the handshake was not seen, -2 when no scaling was agreed. */
  windowShift: number;
  options: TcpOptions | undefined;
  /** Sequence numbers relative to each direction's initial sequence number, as Wireshark shows them. */
  relSeq: number;
  relAck: number;
  analysis: readonly AnalysisFlag[];
  /** For a duplicate ACK: which one in the run (tcp.analysis.duplicate_ack_num). */
  dupAckNum?: number;
  /** Where the segment contradicts the state model. */
  anomalies: readonly string[];
  truncated: boolean;
  /** The layers it was found inside, outermost first ("VLAN 7 / PPPoE session 0x1234"), or undefined for plain IP. */
  via: string | undefined;
}

export interface HistoryEntry {
  state: TcpState;
  /** The packet that caused the change (null for the initial state and for timers). */
  packet: number | null;
  /** When the change happened at the endpoint (a receiver's: when the cause arrived, as known or inferred). */
  time: number | null;
  /** The causing segment's index in the connection, or null. */
  segment: number | null;
  /**
   * The index of the last segment the capture point had seen when the change could be inferred (-1 before any). A
   * receiver's change is inferred when it answers, so this can lie after `segment`: the endpoint's own segments between
   * the two were sent while the cause was still in flight to it (they crossed), and its note follows the last of them.
   */
  after: number;
  reason: string;
}

/** Sequence space a segment occupies: its data plus one for each of SYN and FIN. */
export function sequenceLength(flags: number, len: number): number {
  return len + (flags & 0x002 ? 1 : 0) + (flags & 0x001 ? 1 : 0);
}
