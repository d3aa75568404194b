import type { TcpPacket } from '../decode/packet';
import { Connection, type ConnectionOptions } from './connection';

/**
 * Groups segments into connections by 4-tuple. A SYN without ACK whose sequence number differs from the client's
 * initial one starts a new connection on the same 4-tuple, as Wireshark's tcp.stream does, flagged as reused ports.
 */
export class ConnectionTracker {
  readonly connections: Connection[] = [];
  private readonly byTuple = new Map<string, Connection>();
  private lastTime = 0;

  constructor(private readonly options: ConnectionOptions, private readonly onNew?: (connection: Connection) => void) {}

  add(packet: TcpPacket): Connection {
    const { srcAddr, dstAddr } = packet;
    const { srcPort, dstPort } = packet.tcp;
    const forward = srcAddr < dstAddr || (srcAddr === dstAddr && srcPort <= dstPort);
    const key = forward ? `${srcAddr}|${srcPort}|${dstAddr}|${dstPort}` : `${dstAddr}|${dstPort}|${srcAddr}|${srcPort}`;
    if (packet.time > this.lastTime) this.lastTime = packet.time;
    let connection = this.byTuple.get(key);
    let reused = false;
    if (connection?.isNewConnectionSyn(packet)) {
      connection.finish(packet.time);
      connection = undefined;
      reused = true;
    }
    if (!connection) {
      connection = new Connection(this.connections.length + 1, packet, this.options);
      this.connections.push(connection);
      this.byTuple.set(key, connection);
      this.onNew?.(connection);
    }
    connection.add(packet, reused);
    return connection;
  }

  finish(): void {
    for (const connection of this.connections) connection.finish(this.lastTime);
  }
}
