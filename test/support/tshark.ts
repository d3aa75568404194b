import { execFileSync } from 'node:child_process';

export const TSHARK_ANALYSIS_FIELDS = [
  'retransmission', 'fast_retransmission', 'spurious_retransmission', 'out_of_order', 'duplicate_ack', 'zero_window',
  'zero_window_probe', 'zero_window_probe_ack', 'window_full', 'window_update', 'keep_alive', 'keep_alive_ack',
  'lost_segment', 'ack_lost_segment', 'reused_ports',
] as const;

export interface TsharkSegment {
  frame: number;
  stream: number;
  flags: number;
  seq: number;
  ack: number;
  /** Relative to each direction's base, as tshark shows them (tcp.seq, tcp.ack). */
  relSeq: number;
  relAck: number;
  len: number;
  /** tcp.window_size: the calculated window, in bytes. */
  windowSize: number;
  analysis: string[];
  dupAckNum: number | undefined;
}

/** Every TCP segment of a capture as Wireshark's tshark (the reference decoder) reads it. */
export function tsharkSegments(path: string): TsharkSegment[] {
  const fields = ['frame.number', 'tcp.stream', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len', 'tcp.window_size', 'tcp.analysis.duplicate_ack_num',
    ...TSHARK_ANALYSIS_FIELDS.map((f) => `tcp.analysis.${f}`), 'tcp.seq', 'tcp.ack'];
  const out = execFileSync('tshark', ['-n', '-r', path, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=f',
    ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  return out.trim().split('\n').filter(Boolean).map((line) => {
    const cols = line.split('|');
    return {
      frame: Number(cols[0]),
      stream: Number(cols[1]),
      flags: Number.parseInt(cols[2]!, 16),
      seq: Number(cols[3]),
      ack: Number(cols[4]),
      len: Number(cols[5]),
      windowSize: Number(cols[6]),
      dupAckNum: cols[7] ? Number(cols[7]) : undefined,
      analysis: TSHARK_ANALYSIS_FIELDS.filter((_, i) => cols[8 + i] !== ''),
      relSeq: Number(cols[8 + TSHARK_ANALYSIS_FIELDS.length]),
      relAck: Number(cols[9 + TSHARK_ANALYSIS_FIELDS.length] || 0),
    };
  });
}

export function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
