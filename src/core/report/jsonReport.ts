import type { CaptureAnalysis } from '../analyze';
import type { ReportHead } from './textReport';
import { flagNames, type TcpOptions } from '../decode/tcpHeader';
import type { Connection } from '../tcp/connection';
import type { Segment } from '../tcp/segment';
import { END, type StateHistory } from '../tcp/stateHistory';

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
  /** The raw window field. */
  win: number;
  /** The window in bytes (tcp.window_size): `win` shifted by the agreed scale. */
  windowSize: number;
  options?: TcpOptions;
  analysis: string[];
  dupAckNum?: number;
  anomalies: string[];
  truncated?: boolean;
  /** The layers it was found inside (see Segment.via). */
  via?: string;
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
  /** The layers its first segment was found inside, when not plain IP. */
  via?: string;
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
    windowSize: s.windowSize,
    analysis: [...s.analysis],
    anomalies: [...s.anomalies],
  };
  if (s.options) out.options = s.options;
  if (s.dupAckNum !== undefined) out.dupAckNum = s.dupAckNum;
  if (s.truncated) out.truncated = true;
  if (s.via) out.via = s.via;
  return out;
}

/** A connection as the JSON report's object. */
export function connectionJson(connection: Connection, withSegments: boolean): JsonConnection {
  return JSON.parse(connectionJsonText(connection, withSegments)) as JsonConnection;
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

/**
 * A connection as one line of JSON, written straight to text: for a report of 100,000 connections, building objects
 * and stringifying them took longer than reading the capture.
 */
export function connectionJsonText(connection: Connection, withSegments: boolean): string {
  const { client, server, states } = connection;
  const c = JSON.stringify(client);
  const s = JSON.stringify(server);
  let out = `{"id":${connection.id},"client":${c},"server":${s},"midstream":${connection.midstream},` +
    `"outcome":"${connection.outcome}","firstPacket":${connection.firstPacket},` +
    `"lastPacket":${connection.lastPacket},"duration":${numberOr(connection.duration, 0)},` +
    `"handshakeRtt":${numberOr(connection.handshakeRtt, null)},` +
    (connection.via ? `"via":${JSON.stringify(connection.via)},` : '') +
    `"packets":{"toServer":${connection.toServer.packets},"toClient":${connection.toClient.packets}},` +
    `"bytes":{"toServer":${connection.toServer.bytes},"toClient":${connection.toClient.bytes}},` +
    `"finalStates":${pair(c, s, `"${states.client}"`, `"${states.server}"`)},"analysis":{`;
  let first = true;
  for (const [flag, count] of Object.entries(connection.analysisCounts)) {
    out += `${first ? '' : ','}"${flag}":${count}`;
    first = false;
  }
  out += `},"anomalies":${connection.anomalyCount},"history":${pair(c, s, historyText(connection.clientHistoryView), historyText(connection.serverHistoryView))}`;
  if (withSegments) out += `,"segments":[${connection.segments.map((seg) => JSON.stringify(segmentJson(seg, client, server))).join(',')}]`;
  return `${out}}`;
}

/** An object keyed by both endpoints; a connection from an endpoint to itself has one key, as an object literal would. */
function pair(clientKey: string, serverKey: string, clientValue: string, serverValue: string): string {
  return clientKey === serverKey ? `{${serverKey}:${serverValue}}` : `{${clientKey}:${clientValue},${serverKey}:${serverValue}}`;
}

function historyText(history: StateHistory): string {
  let out = '[';
  for (let ref = history.first; ref !== END; ref = history.next(ref)) {
    const [head, tail] = entryFragments(history, ref);
    out += `${out.length > 1 ? ',' : ''}${head}${history.packet(ref)},"time":${numberOr(history.time(ref), null)}${tail}`;
  }
  return `${out}]`;
}

/**
 * An entry's text before its packet and after its time. Entries of one kind (state and reason) share them: a report
 * of 100,000 connections repeats a few dozen kinds.
 */
const fragments: Array<readonly [string, string]> = [];

function entryFragments(history: StateHistory, ref: number): readonly [string, string] {
  const kind = history.kind(ref);
  return (fragments[kind] ??= [`{"state":"${history.state(ref)}","packet":`, `,"reason":${JSON.stringify(history.reason(ref))}}`]);
}

/** JSON text of a number, or of `otherwise` where JSON has no number (NaN, ±Infinity, missing). */
function numberOr(n: number | null | undefined, otherwise: 0 | null): string {
  return n !== null && n !== undefined && Number.isFinite(n) ? numberText(n) : String(otherwise);
}

/**
 * A number as String(n) writes it. Times (at most nanosecond digits) are written from integers: V8 makes the text of a
 * fraction through a cache in its old generation, and the times of 100,000 connections left some 30 MB of garbage
 * there.
 */
export function numberText(n: number): string {
  return decimalText(n, 6, 2 ** 31) ?? decimalText(n, 9, 2 ** 22) ?? String(n);
}

/**
 * The text of n with at most `places` decimals, if that is exactly n. Below `limit` neighbouring numbers lie closer
 * together than 10^-places, so no other decimal of so few places gives n: it is the shortest, the one String(n) writes.
 */
function decimalText(n: number, places: number, limit: number): string | undefined {
  // Below 10^-6 String(n) writes an exponent.
  if (!(n >= 1e-6 && n < limit)) return undefined;
  const scale = 10 ** places;
  const whole = Math.floor(n);
  const units = Math.round(n * scale);
  if (whole === n || units / scale !== n) return undefined;
  let fraction = units - whole * scale;
  while (fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  return `${whole}.${String(fraction).padStart(places, '0')}`;
}
