import type { CaptureAnalysis } from '../analyze';
import type { ReportHead } from './textReport';
import { flagNames, type TcpOptions } from '../decode/tcpHeader';
import type { Connection } from '../tcp/connection';
import type { HistoryEntry, Segment } from '../tcp/segment';

export interface JsonHistoryEntry {
  state: string;
  packet: number | null;
  time: number | null;
  reason: string;
}

export interface JsonSegment {
  packet: number;
  time: number | null;
  from: string;
  flags: string[];
  seq: number;
  ack: number;
  len: number;
  relSeq: number;
  relAck: number;
  win: number;
  options?: TcpOptions;
  analysis: string[];
  dupAckNum?: number;
  anomalies: string[];
  truncated?: boolean;
}

export interface JsonConnection {
  id: number;
  client: string;
  server: string;
  midstream: boolean;
  outcome: string;
  firstPacket: number;
  lastPacket: number;
  duration: number;
  handshakeRtt: number | null;
  packets: { toServer: number; toClient: number };
  bytes: { toServer: number; toClient: number };
  finalStates: Record<string, string>;
  analysis: Record<string, number>;
  anomalies: number;
  segments?: JsonSegment[];
  history: Record<string, JsonHistoryEntry[]>;
}

export interface JsonReport {
  file: string;
  format: string | null;
  compressed: boolean;
  packets: number;
  errors: Array<{ offset: number; message: string }>;
  skipped: CaptureAnalysis['decode'];
  msl: number;
  connections: JsonConnection[];
}

const finiteOrNull = (n: number | null): number | null => (n === null || !Number.isFinite(n) ? null : n);

export function historyJson(history: readonly HistoryEntry[]): JsonHistoryEntry[] {
  return history.map((e) => ({ state: e.state, packet: e.packet, time: finiteOrNull(e.time), reason: e.reason }));
}

export function segmentJson(s: Segment, client: string, server: string): JsonSegment {
  const out: JsonSegment = {
    packet: s.packet,
    time: finiteOrNull(s.time),
    from: s.fromClient ? client : server,
    flags: flagNames(s.flags),
    seq: s.seq,
    ack: s.ack,
    len: s.len,
    relSeq: s.relSeq,
    relAck: s.relAck,
    win: s.window,
    analysis: [...s.analysis],
    anomalies: [...s.anomalies],
  };
  if (s.options) out.options = s.options;
  if (s.dupAckNum !== undefined) out.dupAckNum = s.dupAckNum;
  if (s.truncated) out.truncated = true;
  return out;
}

export function connectionJson(connection: Connection, withSegments: boolean): JsonConnection {
  // Each of these is computed on access: take them once.
  const { client, server, states } = connection;
  const out: JsonConnection = {
    id: connection.id,
    client,
    server,
    midstream: connection.midstream,
    outcome: connection.outcome,
    firstPacket: connection.firstPacket,
    lastPacket: connection.lastPacket,
    duration: finiteOrNull(connection.duration) ?? 0,
    handshakeRtt: connection.handshakeRtt ?? null,
    packets: { toServer: connection.toServer.packets, toClient: connection.toClient.packets },
    bytes: { toServer: connection.toServer.bytes, toClient: connection.toClient.bytes },
    finalStates: { [client]: states.client, [server]: states.server },
    analysis: connection.analysisCounts as Record<string, number>,
    anomalies: connection.anomalyCount,
    history: {
      [client]: historyJson(connection.clientHistory),
      [server]: historyJson(connection.serverHistory),
    },
  };
  if (withSegments) out.segments = connection.segments.map((s) => segmentJson(s, client, server));
  return out;
}

/** The report's fields other than its connections. */
export function reportHeadJson(file: string, head: ReportHead, msl: number): Omit<JsonReport, 'connections'> {
  return {
    file,
    format: head.format ?? null,
    compressed: head.compressed,
    packets: head.packets,
    errors: head.errors,
    skipped: head.decode,
    msl,
  };
}

export function jsonReport(file: string, analysis: CaptureAnalysis, msl: number, options: { segments: boolean }): JsonReport {
  return { ...reportHeadJson(file, analysis, msl), connections: analysis.connections.map((c) => connectionJson(c, options.segments)) };
}
