import type { Connection } from '../../core/tcp/connection';
import type { ConnectionSummary } from './protocol';

/** What the tree needs of a connection, as plain data that can cross from the worker to the host. */
export function summary(c: Connection, row: number): ConnectionSummary {
  return {
    id: c.id, client: c.client, server: c.server, outcome: c.outcome, midstream: c.midstream, packets: c.packetCount,
    duration: c.duration, firstTime: c.firstTime, states: c.states, analysisCounts: c.analysisCounts, anomalies: c.anomalyCount, title: c.title,
    toServer: { packets: c.toServer.packets, bytes: c.toServer.bytes }, toClient: { packets: c.toClient.packets, bytes: c.toClient.bytes },
    handshakeRtt: c.handshakeRtt, row, ...(c.via ? { via: c.via } : {}),
  };
}
