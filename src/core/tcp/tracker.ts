import { addressLength, type TcpPacket } from '../decode/packet';
import { ANALYSIS_RECORD_SIZE } from './analysis';
import { Connection, CONNECTION_RECORD_SIZE, type ConnectionOptions, type ConnectionStorage } from './connection';
import { ENDPOINT_RECORD_SIZE } from './endpoint';
import { InFlightStore } from './inFlight';
import { RecordPool } from './recordPool';
import { HistoryLog } from './stateHistory';

/** FNV-1a over an endpoint's address bytes and port. */
function endpointHash(bytes: Uint8Array, at: number, length: number, port: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h = Math.imul(h ^ (port & 0xff), 0x01000193);
  return Math.imul(h ^ (port >> 8), 0x01000193) >>> 0;
}

/**
 * Groups segments into connections by 4-tuple. A SYN without ACK whose sequence number differs from the client's
 * initial one starts a new connection on the same 4-tuple, as Wireshark's tcp.stream does, flagged as reused ports.
 * The 4-tuple is hashed from the raw address bytes, so no text is made per packet.
 */
export class ConnectionTracker {
  readonly connections: Connection[] = [];
  private readonly byTuple = new Map<number, Connection | Connection[]>();
  private lastTime = 0;
  private readonly storage: ConnectionStorage = {
    histories: new HistoryLog(),
    endpoints: new RecordPool(ENDPOINT_RECORD_SIZE),
    analyses: new RecordPool(ANALYSIS_RECORD_SIZE),
    connections: new RecordPool(CONNECTION_RECORD_SIZE),
    inFlight: new InFlightStore(),
  };

  /** Segments kept so far, by every connection. */
  kept = 0;

  constructor(private readonly options: ConnectionOptions, private readonly onNew?: (connection: Connection) => void) {}

  /** Stops keeping segments, and forgets those kept, for every connection but `except` (none when undefined). */
  keepOnly(except: number | undefined): void {
    this.kept = 0;
    for (const c of this.connections) {
      if (c.id === except) this.kept += c.segments.length;
      else c.dropSegments();
    }
    this.options.keepSegmentsOf = except;
    if (except === undefined) this.options.keepSegments = false;
  }

  add(packet: TcpPacket): Connection {
    const length = addressLength(packet);
    const a = endpointHash(packet.addresses, packet.srcAt, length, packet.tcp.srcPort);
    const b = endpointHash(packet.addresses, packet.dstAt, length, packet.tcp.dstPort);
    // Both directions of a connection meet under one key. It stays a small integer (a V8 Smi): a larger number
    // would be boxed on every lookup. Buckets resolve the rare collisions.
    const key = (a < b ? Math.imul(a, 0x9e3779b1) ^ b : Math.imul(b, 0x9e3779b1) ^ a) & 0x3fffffff;
    if (packet.time > this.lastTime) this.lastTime = packet.time;
    // Almost every key holds one connection; a list only where two 4-tuples collide.
    const found = this.byTuple.get(key);
    let connection = found instanceof Connection ? (found.matches(packet) ? found : undefined) : found?.find((c) => c.matches(packet));
    let reused = false;
    if (connection?.isNewConnectionSyn(packet)) {
      connection.finish(packet.time);
      connection = undefined;
      reused = true;
    }
    if (!connection) {
      connection = new Connection(this.connections.length + (this.options.firstId ?? 1), packet, this.options, this.storage);
      this.connections.push(connection);
      this.byTuple.set(key, this.replace(found, connection, packet));
      this.onNew?.(connection);
    }
    connection.add(packet, reused);
    if (connection.keeping) this.kept++;
    return connection;
  }

  /** What the key holds once `connection` takes the place of the one on its 4-tuple (if any). */
  private replace(found: Connection | Connection[] | undefined, connection: Connection, packet: TcpPacket): Connection | Connection[] {
    if (found === undefined) return connection;
    const list = found instanceof Connection ? [found] : found;
    const at = list.findIndex((c) => c.matches(packet));
    if (at >= 0) list[at] = connection;
    else list.push(connection);
    return list.length === 1 ? list[0]! : list;
  }

  /** Segments of all connections that the model holds as still on their way to their receiver. */
  get segmentsInFlight(): number {
    return this.storage.inFlight.size;
  }

  /** Ends every connection; `endTime` can say the observation ran on past the last segment (a simulation's clock). */
  finish(endTime = this.lastTime): void {
    for (const connection of this.connections) connection.finish(Math.max(endTime, this.lastTime));
  }
}
