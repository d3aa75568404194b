import { endpointText, ipv4Text, ipv6Text } from '../decode/address';
import { addressLength, type TcpPacket } from '../decode/packet';
import { ACK, SYN } from '../decode/tcpHeader';
import { SegmentAnalyzer } from './analysis';
import { toPrecision } from './timePrecision';
import { EndpointModel, REFUSED, type ModelOptions, type ModelStorage } from './endpointModel';
import { NONE, type AnalysisFlag, type HistoryEntry, type Segment } from './segment';
import type { RecordPool } from './recordPool';
import type { StateHistory } from './stateHistory';
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
  /** The first connection's id (1 unless a connection is read again on its own, keeping its id). */
  firstId?: number | undefined;
}

/** Where the connections of one analysis keep their state, outside the JavaScript heap. */
export interface ConnectionStorage extends ModelStorage {
  /** Records of ANALYSIS_RECORD_SIZE numbers. */
  analyses: RecordPool;
  /** Records of CONNECTION_RECORD_SIZE numbers. */
  connections: RecordPool;
}

/** Offsets in a connection's record. */
const CLIENT_WORDS = 0;
const SERVER_WORDS = 4;
const FIRST_TIME = 8;
const LAST_TIME = 9;
/** The handshake round-trip time, kept here once the analyzer is gone. */
const RTT = 10;
export const CONNECTION_RECORD_SIZE = 11;

/** One TCP connection: its segments in capture order, their analysis and both endpoints' inferred state histories. */
export class Connection {
  readonly midstream: boolean;
  /** Every segment, when the options keep them (shared and empty otherwise). */
  readonly segments: Segment[];
  private counts: Partial<Record<AnalysisFlag, number>> | undefined;
  firstPacket = 0;
  lastPacket = 0;
  private segmentCount = 0;
  private packetsToServer = 0;
  private bytesToServer = 0;
  private packetsToClient = 0;
  private bytesToClient = 0;
  /** Addresses (as 32-bit words, one for IPv4 and four for IPv6) and times live in this record of the storage's. */
  private readonly s: Float64Array;
  private readonly at: number;
  private readonly ipVersion: 4 | 6;
  /** The layers its first segment was found inside (see Segment.via), or undefined for plain IP. */
  readonly via: string | undefined;
  private keepsSegments: boolean;
  private readonly clientPort: number;
  private readonly serverPort: number;
  private analyzer: SegmentAnalyzer | undefined;
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
    ({ page: this.s, at: this.at } = storage.connections.allocate());
    for (let i = 0; i < length / 4; i++) {
      this.s[this.at + CLIENT_WORDS + i] = word(first.addresses, clientAt + 4 * i);
      this.s[this.at + SERVER_WORDS + i] = word(first.addresses, serverAt + 4 * i);
    }
    this.clientPort = firstFromServer ? first.tcp.dstPort : first.tcp.srcPort;
    this.serverPort = firstFromServer ? first.tcp.srcPort : first.tcp.dstPort;
    this.ipVersion = first.ipVersion;
    this.via = first.layers?.text();
    this.keepsSegments = options.keepSegments && (options.keepSegmentsOf === undefined || options.keepSegmentsOf === id);
    this.segments = this.keepsSegments ? [] : NO_SEGMENTS;
    this.model = new EndpointModel(options, this.midstream, storage, this.segments);
    this.analyzer = new SegmentAnalyzer(storage.analyses);
  }

  /** Whether the connection keeps its segments. */
  get keeping(): boolean {
    return this.keepsSegments;
  }

  /** Forgets the segments kept so far and keeps no more (memory ran short); a diagram then reads them again. */
  dropSegments(): void {
    if (!this.keepsSegments) return;
    this.keepsSegments = false;
    this.segments.length = 0;
  }

  /**
   * The client endpoint as text (`a.b.c.d:port` or `[ipv6]:port`). Made on each call, not kept: a capture may hold
   * 100,000 connections, and these are needed only for output.
   */
  get client(): string {
    return endpointText(this.addressText(CLIENT_WORDS), this.clientPort);
  }

  get server(): string {
    return endpointText(this.addressText(SERVER_WORDS), this.serverPort);
  }

  /** Time of the first and the last segment. */
  get firstTime(): number {
    return this.s[this.at + FIRST_TIME]!;
  }

  get lastTime(): number {
    return this.s[this.at + LAST_TIME]!;
  }

  get toServer(): DirectionTotals {
    return { packets: this.packetsToServer, bytes: this.bytesToServer };
  }

  get toClient(): DirectionTotals {
    return { packets: this.packetsToClient, bytes: this.bytesToClient };
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
    return packet.tcp.srcPort === this.clientPort && this.sameAddress(packet, packet.srcAt, CLIENT_WORDS);
  }

  /** Whether the packet travels between this connection's two endpoints, either way. */
  matches(packet: TcpPacket): boolean {
    const { srcPort, dstPort } = packet.tcp;
    const { srcAt, dstAt } = packet;
    if (packet.ipVersion !== this.ipVersion) return false;
    return (srcPort === this.clientPort && dstPort === this.serverPort && this.sameAddress(packet, srcAt, CLIENT_WORDS) && this.sameAddress(packet, dstAt, SERVER_WORDS)) ||
      (srcPort === this.serverPort && dstPort === this.clientPort && this.sameAddress(packet, srcAt, SERVER_WORDS) && this.sameAddress(packet, dstAt, CLIENT_WORDS));
  }

  /** Whether the packet's address at `at` is the one whose words are at `words` in the record. */
  private sameAddress(packet: TcpPacket, at: number, words: number): boolean {
    for (let i = 0; i < (this.ipVersion === 4 ? 1 : 4); i++) {
      if (word(packet.addresses, at + 4 * i) !== this.s[this.at + words + i]) return false;
    }
    return true;
  }

  private addressText(words: number): string {
    for (let i = 0; i < (this.ipVersion === 4 ? 1 : 4); i++) {
      const w = this.s[this.at + words + i]!;
      scratch[4 * i] = w >>> 24;
      scratch[4 * i + 1] = w >>> 16;
      scratch[4 * i + 2] = w >>> 8;
      scratch[4 * i + 3] = w;
    }
    return this.ipVersion === 4 ? ipv4Text(scratch, 0) : ipv6Text(scratch, 0);
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

  add(packet: TcpPacket, reusedPorts = false): void {
    const fromClient = this.isFromClient(packet);
    // A segment not kept is not referred to once added: one object serves them all.
    const segment: Segment = this.keepsSegments ? newSegment() : PASSING;
    segment.index = this.segmentCount++;
    segment.packet = packet.packet;
    segment.time = packet.time;
    segment.fromClient = fromClient;
    segment.flags = packet.tcp.flags;
    segment.seq = packet.tcp.seq;
    segment.ack = packet.tcp.ack;
    segment.len = packet.payloadLength;
    segment.window = packet.tcp.window;
    segment.options = packet.tcp.options;
    segment.truncated = packet.truncated;
    segment.via = packet.layers?.text();
    segment.dupAckNum = undefined;
    if (!this.analyzer) throw new Error(`connection ${this.id} is finished`);
    // An injected segment is numbered but kept out of the analysis: no real segment's flags count it.
    const injected = this.model.injected(segment);
    if (injected) this.analyzer.analyzeInjected(segment);
    else this.analyzer.analyze(segment, reusedPorts);
    // Kept before the model sees it: the model writes contradictions onto kept segments.
    if (this.keepsSegments) this.segments.push(segment);
    this.model.process(segment, injected);
    if (packet.ipLengthCut) this.model.flag(segment, `IP length ${packet.ipLengthCut.claimed} exceeds the ${packet.ipLengthCut.held} bytes the frame holds: cut to them`);
    const analysis = segment.analysis;
    for (let i = 0; i < analysis.length; i++) {
      this.counts ??= {};
      this.counts[analysis[i]!] = (this.counts[analysis[i]!] ?? 0) + 1;
    }
    if (segment.index === 0) {
      this.s[this.at + FIRST_TIME] = packet.time;
      this.firstPacket = packet.packet;
    }
    this.s[this.at + LAST_TIME] = packet.time;
    this.lastPacket = packet.packet;
    if (fromClient) {
      this.packetsToServer++;
      this.bytesToServer += packet.payloadLength;
    } else {
      this.packetsToClient++;
      this.bytesToClient += packet.payloadLength;
    }
  }

  /** Ends inference at `endTime` (the capture's last timestamp). Idempotent. */
  finish(endTime: number): void {
    if (!this.analyzer) return;
    this.model.finish(endTime);
    // No segment comes after this: keep the handshake RTT; the analysis state is no longer needed.
    this.s[this.at + RTT] = this.analyzer.handshakeRtt ?? NaN;
    this.analyzer = undefined;
  }

  /** A scenario's names for its endpoints and its title, and the segments its simulation lost (see adoptScenario). */
  clientName: string | undefined;
  serverName: string | undefined;
  title: string | undefined;
  lost: ReadonlySet<number> | undefined;

  /**
   * A simulated connection shows what the simulator knows rather than what a capture point could infer: both
   * endpoints' true histories, their names, and which segments never arrived.
   */
  adoptScenario(scenario: {
    clientHistory: readonly HistoryEntry[];
    serverHistory: readonly HistoryEntry[];
    clientName: string;
    serverName: string;
    title: string | undefined;
    lost: ReadonlySet<number>;
  }): void {
    this.model.client.replaceHistory(scenario.clientHistory);
    this.model.server.replaceHistory(scenario.serverHistory);
    ({ clientName: this.clientName, serverName: this.serverName, title: this.title, lost: this.lost } = scenario);
  }

  /** The client's state history (made on each call: keep the result rather than calling it in a loop). */
  get clientHistory(): readonly HistoryEntry[] {
    return this.model.client.history.entries();
  }

  get serverHistory(): readonly HistoryEntry[] {
    return this.model.server.history.entries();
  }

  /** The client's state history as a view that reads one entry at a time, for reports of many connections. */
  get clientHistoryView(): StateHistory {
    return this.model.client.history;
  }

  get serverHistoryView(): StateHistory {
    return this.model.server.history;
  }

  get states(): { client: TcpState; server: TcpState } {
    return this.model.states;
  }

  get handshakeRtt(): number | undefined {
    const rtt = this.analyzer ? this.analyzer.handshakeRtt ?? NaN : this.s[this.at + RTT]!;
    return Number.isNaN(rtt) ? undefined : toPrecision(rtt, this.lastTime);
  }

  get duration(): number {
    return toPrecision(this.lastTime - this.firstTime, this.lastTime);
  }

  get outcome(): Outcome {
    return outcomeOf(this.clientHistoryView, this.serverHistoryView, this.midstream);
  }
}

/** How a connection went, from both endpoints' histories. */
function outcomeOf(client: StateHistory, server: StateHistory, midstream: boolean): Outcome {
  const established = client.reached('ESTABLISHED') || server.reached('ESTABLISHED');
  const reset = client.reset || server.reset;
  const finalClient = client.current;
  if (!midstream && !established) {
    if (finalClient.reason === REFUSED) return 'refused';
    if (reset) return 'reset';
    return server.reached('SYN_RECEIVED') ? 'half-open' : 'unanswered';
  }
  if (reset) return 'reset';
  const clientOver = isOver(finalClient.state);
  const serverOver = isOver(server.current.state);
  if (clientOver && serverOver) return 'complete';
  if (midstream) return 'midstream';
  if (clientOver || serverOver) return 'half-open';
  return 'open';
}

const isOver = (state: TcpState): boolean => state === 'CLOSED' || state === 'TIME_WAIT';

/** A 32-bit word of an address, as a signed integer. */
const word = (b: Uint8Array, at: number): number => (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;

const NO_SEGMENTS: Segment[] = [];

function newSegment(): Segment {
  return {
    index: 0, packet: 0, time: 0, fromClient: false, flags: 0, seq: 0, ack: 0, len: 0, window: 0, windowSize: 0, windowShift: -1,
    options: undefined,
    relSeq: 0, relAck: 0, analysis: NONE, dupAckNum: undefined, anomalies: NONE, truncated: false, via: undefined,
  };
}

/**
 * The segment of connections that do not keep theirs. `add` and the analyzer set its fields anew for each packet; its
 * anomalies stay empty (the model writes those onto kept segments only).
 */
const PASSING = newSegment();

const scratch = new Uint8Array(16);
