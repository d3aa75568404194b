import { endpointText, ipv4Text, ipv6Text } from '../decode/address';
import { addressLength, type TcpPacket } from '../decode/packet';
import { ACK, SYN } from '../decode/tcpHeader';
import { SegmentAnalyzer } from './analysis';
import { EndpointModel, REFUSED, type ModelOptions } from './endpointModel';
import { NONE, type AnalysisFlag, type HistoryEntry, type Segment } from './segment';
import type { RecordPool } from './recordPool';
import type { HistoryLog } from './stateHistory';
import type { TcpState } from './states';

export type Outcome = 'complete' | 'reset' | 'refused' | 'unanswered' | 'half-open' | 'open' | 'midstream';

export interface DirectionTotals {
  packets: number;
  /** TCP payload bytes. */
  bytes: number;
}

export interface ConnectionOptions extends ModelOptions {
  /** Keep every segment (needed for diagrams); without them memory per connection stays constant. */
  keepSegments: boolean;
  /** If set, only the connection with this id keeps its segments. */
  keepSegmentsOf?: number | undefined;
}

/** Where the connections of one analysis keep their state, outside the JavaScript heap. */
export interface ConnectionStorage {
  histories: HistoryLog;
  /** Records of ENDPOINT_RECORD_SIZE numbers. */
  endpoints: RecordPool;
  /** Records of ANALYSIS_RECORD_SIZE numbers. */
  analyses: RecordPool;
}

/** One TCP connection: its segments in capture order, their analysis and both endpoints' inferred state histories. */
export class Connection {
  readonly midstream: boolean;
  /** Every segment, when the options keep them (shared and empty otherwise). */
  readonly segments: Segment[];
  readonly toServer: DirectionTotals = { packets: 0, bytes: 0 };
  readonly toClient: DirectionTotals = { packets: 0, bytes: 0 };
  private counts: Partial<Record<AnalysisFlag, number>> | undefined;
  firstTime = NaN;
  lastTime = NaN;
  firstPacket = 0;
  lastPacket = 0;
  private segmentCount = 0;
  /** Addresses as 32-bit words (1 for IPv4, 4 for IPv6): cheaper to keep and compare than byte arrays. */
  private readonly clientWords: number[];
  private readonly serverWords: number[];
  private readonly ipVersion: 4 | 6;
  private readonly keepsSegments: boolean;
  private readonly clientPort: number;
  private readonly serverPort: number;
  private analyzer: SegmentAnalyzer | undefined;
  private rtt: number | undefined;
  private readonly model: EndpointModel;

  constructor(readonly id: number, first: TcpPacket, options: ConnectionOptions, storage: ConnectionStorage) {
    // The client sent the first SYN without ACK; a SYN,ACK seen first came from the server; otherwise (midstream)
    // the sender of the first segment.
    const flags = first.tcp.flags;
    const firstFromServer = (flags & (SYN | ACK)) === (SYN | ACK);
    this.midstream = !(flags & SYN);
    const length = addressLength(first);
    const clientAt = firstFromServer ? first.dstAt : first.srcAt;
    const serverAt = firstFromServer ? first.srcAt : first.dstAt;
    this.clientWords = addressWords(first.addresses, clientAt, length);
    this.serverWords = addressWords(first.addresses, serverAt, length);
    this.clientPort = firstFromServer ? first.tcp.dstPort : first.tcp.srcPort;
    this.serverPort = firstFromServer ? first.tcp.srcPort : first.tcp.dstPort;
    this.ipVersion = first.ipVersion;
    this.keepsSegments = options.keepSegments && (options.keepSegmentsOf === undefined || options.keepSegmentsOf === id);
    this.segments = this.keepsSegments ? [] : NO_SEGMENTS;
    this.model = new EndpointModel(options, this.midstream, storage.histories, storage.endpoints);
    this.analyzer = new SegmentAnalyzer(storage.analyses);
  }

  /**
   * The client endpoint as text (`a.b.c.d:port` or `[ipv6]:port`). Made on each call, not kept: a capture may hold
   * 100,000 connections, and these are needed only for output.
   */
  get client(): string {
    return endpointText(wordsText(this.clientWords, this.ipVersion), this.clientPort);
  }

  get server(): string {
    return endpointText(wordsText(this.serverWords, this.ipVersion), this.serverPort);
  }

  /** How many segments carry each analysis flag. */
  get analysisCounts(): Partial<Record<AnalysisFlag, number>> {
    return { ...this.counts };
  }

  /** Segments that contradict the model, kept or not. */
  get anomalyCount(): number {
    return this.model.anomalies;
  }

  get packetCount(): number {
    return this.segmentCount;
  }

  isFromClient(packet: TcpPacket): boolean {
    return packet.tcp.srcPort === this.clientPort && sameAddress(packet.addresses, packet.srcAt, this.clientWords);
  }

  /** Whether the packet travels between this connection's two endpoints, either way. */
  matches(packet: TcpPacket): boolean {
    const { srcPort, dstPort } = packet.tcp;
    const { addresses: a, srcAt, dstAt } = packet;
    if (this.clientWords.length !== (packet.ipVersion === 4 ? 1 : 4)) return false;
    return (srcPort === this.clientPort && dstPort === this.serverPort && sameAddress(a, srcAt, this.clientWords) && sameAddress(a, dstAt, this.serverWords)) ||
      (srcPort === this.serverPort && dstPort === this.clientPort && sameAddress(a, srcAt, this.serverWords) && sameAddress(a, dstAt, this.clientWords));
  }

  /**
   * A SYN without ACK from an endpoint that already sent something else than this SYN starts a new connection on the
   * same 4-tuple (Wireshark's rule for tcp.stream); a retransmitted SYN or the peer's SYN of a simultaneous open does
   * not. One deliberate difference from Wireshark: in an established connection before any FIN or RST, such a SYN
   * belongs to the open connection, which answers it with an RFC 5961 challenge ACK.
   */
  isNewConnectionSyn(packet: TcpPacket): boolean {
    if ((packet.tcp.flags & (SYN | ACK)) !== SYN) return false;
    const sender = this.isFromClient(packet) ? this.model.client : this.model.server;
    const { client, server } = this.model;
    const open = (client.state === 'ESTABLISHED' || server.state === 'ESTABLISHED') && client.state !== 'CLOSED' &&
      server.state !== 'CLOSED' && client.finSeq === undefined && server.finSeq === undefined;
    return sender.sentAnything && sender.iss !== packet.tcp.seq && !open;
  }

  add(packet: TcpPacket, reusedPorts = false): Segment {
    const fromClient = this.isFromClient(packet);
    const segment: Segment = {
      index: this.segmentCount++,
      packet: packet.packet,
      time: packet.time,
      fromClient,
      flags: packet.tcp.flags,
      seq: packet.tcp.seq,
      ack: packet.tcp.ack,
      len: packet.payloadLength,
      window: packet.tcp.window,
      options: packet.tcp.options,
      relSeq: 0,
      relAck: 0,
      analysis: NONE,
      anomalies: NONE,
      truncated: packet.truncated,
    };
    if (!this.analyzer) throw new Error(`connection ${this.id} is finished`);
    this.analyzer.analyze(segment, reusedPorts);
    this.model.process(segment);
    for (const flag of segment.analysis) {
      this.counts ??= {};
      this.counts[flag] = (this.counts[flag] ?? 0) + 1;
    }
    if (segment.index === 0) {
      this.firstTime = packet.time;
      this.firstPacket = packet.packet;
    }
    this.lastTime = packet.time;
    this.lastPacket = packet.packet;
    const totals = fromClient ? this.toServer : this.toClient;
    totals.packets++;
    totals.bytes += packet.payloadLength;
    if (this.keepsSegments) this.segments.push(segment);
    return segment;
  }

  /** Ends inference at `endTime` (the capture's last timestamp). Idempotent. */
  finish(endTime: number): void {
    if (!this.analyzer) return;
    this.model.finish(endTime);
    // No segment comes after this: keep the handshake RTT, drop the per-direction analysis state.
    this.rtt = this.analyzer.handshakeRtt;
    this.analyzer = undefined;
  }

  /** The client's state history (made on each call: keep the result rather than calling it in a loop). */
  get clientHistory(): readonly HistoryEntry[] {
    return this.model.client.history.entries();
  }

  get serverHistory(): readonly HistoryEntry[] {
    return this.model.server.history.entries();
  }

  get states(): { client: TcpState; server: TcpState } {
    return this.model.states;
  }

  get handshakeRtt(): number | undefined {
    return this.analyzer ? this.analyzer.handshakeRtt : this.rtt;
  }

  get duration(): number {
    return this.lastTime - this.firstTime;
  }

  get outcome(): Outcome {
    return outcomeOf(this.clientHistory, this.serverHistory, this.midstream);
  }
}

/** How a connection went, from both endpoints' histories. */
export function outcomeOf(client: readonly HistoryEntry[], server: readonly HistoryEntry[], midstream: boolean): Outcome {
  const reached = (h: readonly HistoryEntry[], state: TcpState) => h.some((e) => e.state === state);
  const reset = (h: readonly HistoryEntry[]) => h.some((e) => e.reason.includes('RST'));
  if (!midstream && !reached(client, 'ESTABLISHED') && !reached(server, 'ESTABLISHED')) {
    if (client.at(-1)!.reason === REFUSED) return 'refused';
    if (reset(client) || reset(server)) return 'reset';
    return reached(server, 'SYN_RECEIVED') ? 'half-open' : 'unanswered';
  }
  if (reset(client) || reset(server)) return 'reset';
  const over = (s: TcpState) => s === 'CLOSED' || s === 'TIME_WAIT';
  const finalClient = client.at(-1)!.state;
  const finalServer = server.at(-1)!.state;
  if (over(finalClient) && over(finalServer)) return 'complete';
  if (midstream) return 'midstream';
  if (over(finalClient) || over(finalServer)) return 'half-open';
  return 'open';
}

/** A 32-bit word of an address, as a signed integer: V8 keeps those unboxed. */
const word = (b: Uint8Array, at: number): number => (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;

const NO_SEGMENTS: Segment[] = [];

const scratch = new Uint8Array(16);

function wordsText(words: readonly number[], version: 4 | 6): string {
  words.forEach((w, i) => scratch.set([w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff], 4 * i));
  return version === 4 ? ipv4Text(scratch, 0) : ipv6Text(scratch, 0);
}

/** Exactly as long as the address (an array grown by push would reserve 17 slots for an IPv4 address's one word). */
function addressWords(bytes: Uint8Array, at: number, length: number): number[] {
  return length === 4 ? [word(bytes, at)] : [word(bytes, at), word(bytes, at + 4), word(bytes, at + 8), word(bytes, at + 12)];
}

function sameAddress(bytes: Uint8Array, at: number, words: readonly number[]): boolean {
  for (let i = 0; i < words.length; i++) if (word(bytes, at + 4 * i) !== words[i]) return false;
  return true;
}
