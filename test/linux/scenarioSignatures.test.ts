import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CaptureAnalysis } from '../../src/core/analyze';
import type { Connection } from '../../src/core/tcp/connection';
import { DISOWNED_RST, FORGED_RST, FORGED_SYN } from '../../src/core/tcp/endpointModel';
import { stepExplainer } from '../../src/core/explain/stepExplanation';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { analyzeFile, LINUX_FIXTURES, linuxFixtureNames } from '../support/files';

const states = (h: Connection['clientHistory']) => h.map((e) => e.state);
const flagged = (a: CaptureAnalysis, flag: string) => a.connections.flatMap((c) => c.segments).filter((s) => s.analysis.includes(flag as never));
const only = (a: CaptureAnalysis) => {
  assert.equal(a.connections.length, 1);
  return a.connections[0]!;
};

/** A forged RST with the server's address: marked, judged by the client as RFC 5961 says, and nobody's state changed by it. */
function injectedRst(a: CaptureAnalysis, clientJudgement: string) {
  const c = only(a);
  const rst = c.segments.find((s) => s.flags & 0x04)!;
  assert.equal(rst.fromClient, false);
  assert.deepEqual(rst.anomalies, [FORGED_RST, clientJudgement]);
  assert.equal(c.outcome, 'complete');
  assert.ok(!c.clientHistory.concat(c.serverHistory).some((e) => e.segment === rst.index), 'no state change on the forged RST');
  assert.deepEqual(c.segments.filter((s) => s !== rst).flatMap((s) => s.anomalies), []);
  const step = stepExplainer(c)(rst.index);
  assert.match(step.text, /Not the server's own: .* injected it\. .* the client judges it as RFC 5961/);
  assert.deepEqual([step.client, step.server], ['ESTABLISHED', 'ESTABLISHED']);
  // In the diagram: marked on its arrow, and not taken for the start of the teardown (the FIN after it is).
  const lines = sequenceDiagram(c)[0]!.text.split('\n');
  const arrow = lines.findIndex((l) => l.includes(`#35;${rst.packet} `));
  assert.match(lines[arrow]!, /RST .*⚠ injected: outside its sender's sequence space/);
  const teardown = lines.indexOf('  Note over C,S: teardown');
  assert.ok(teardown > arrow && lines[teardown + 1]!.includes('FIN,ACK'), 'the teardown band starts at the first FIN');
  return rst;
}

/** What each real capture was made to show: the test fails if a remade fixture stops showing it. */
const SIGNATURES: Record<string, (a: CaptureAnalysis) => void> = {
  client_close: (a) => {
    const c = only(a);
    assert.deepEqual(states(c.clientHistory).slice(-3), ['FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    assert.deepEqual(states(c.serverHistory).slice(-3), ['CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    const tw = c.clientHistory.at(-1)!;
    assert.notEqual(c.clientHistory.at(-2)!.packet, tw.packet, 'a 4-segment close: the ACK and the FIN arrive apart');
  },
  server_close: (a) => {
    const c = only(a);
    assert.equal(c.serverHistory.at(-1)!.state, 'TIME_WAIT');
    assert.equal(c.clientHistory.at(-1)!.state, 'CLOSED');
  },
  half_close: (a) => {
    const c = only(a);
    const clientFin = c.segments.findIndex((s) => s.fromClient && s.flags & 1);
    const dataAfter = c.segments.filter((s, i) => i > clientFin && !s.fromClient && s.len > 0);
    assert.ok(dataAfter.length >= 3, 'the server sends data after the client\'s FIN');
    assert.deepEqual(c.segments.flatMap((s) => s.anomalies), []);
  },
  three_segment_close: (a) => {
    const c = only(a);
    const [fw2, tw] = c.clientHistory.slice(-2);
    assert.equal(fw2!.state, 'FIN_WAIT_2');
    assert.equal(tw!.state, 'TIME_WAIT');
    assert.equal(fw2!.packet, tw!.packet, 'one FIN,ACK acknowledges the FIN and carries the peer\'s');
    assert.equal(c.packetCount - c.segments.findIndex((s) => s.flags & 1), 3, 'three segments close it');
  },
  simultaneous_close: (a) => {
    const c = only(a);
    assert.ok(states(c.clientHistory).includes('CLOSING'));
    assert.ok(states(c.serverHistory).includes('CLOSING'));
  },
  simultaneous_open: (a) => {
    const c = only(a);
    for (const h of [c.clientHistory, c.serverHistory]) assert.deepEqual(states(h).slice(0, 4), ['CLOSED', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED']);
  },
  refused: (a) => assert.equal(only(a).outcome, 'refused'),
  rst_abort: (a) => {
    const c = only(a);
    assert.equal(c.outcome, 'reset');
    assert.equal(c.serverHistory.at(-1)!.reason, 'received RST: connection reset');
  },
  syn_retransmission: (a) => {
    const c = only(a);
    assert.deepEqual(c.segments[1]!.analysis, ['retransmission']);
    assert.equal(c.segments[1]!.flags, 2);
    assert.equal(c.serverHistory[1]!.packet, 2, 'the server answered the retransmitted SYN');
  },
  ipv6: (a) => {
    assert.match(only(a).client, /^\[fd77::1\]:\d+$/);
    assert.equal(only(a).outcome, 'complete');
  },
  interleaved: (a) => {
    assert.equal(a.connections.length, 12);
    assert.ok(a.connections.every((c) => c.outcome === 'complete'));
  },
  midstream: (a) => {
    const c = only(a);
    assert.equal(c.midstream, true);
    assert.equal(c.clientHistory[0]!.state, 'ESTABLISHED');
  },
  reused_ports: (a) => {
    assert.equal(a.connections.length, 2);
    assert.equal(a.connections[0]!.client, a.connections[1]!.client);
    assert.deepEqual(a.connections[1]!.segments[0]!.analysis, ['reused_ports']);
  },
  data_loss: (a) => {
    assert.ok(flagged(a, 'fast_retransmission').length >= 1);
    assert.ok(flagged(a, 'duplicate_ack').length >= 2);
  },
  data_loss_at_receiver: (a) => {
    assert.ok(flagged(a, 'lost_segment').length >= 1, 'the lost segment never reached the capture');
    assert.ok(flagged(a, 'fast_retransmission').length >= 1);
  },
  zero_window: (a) => {
    assert.ok(flagged(a, 'zero_window').length >= 1);
    assert.ok(flagged(a, 'window_full').length >= 1);
    assert.ok(flagged(a, 'keep_alive').length >= 1, 'Linux\'s zero-window probes, which tshark 4.0 also calls keep-alives');
    assert.ok(flagged(a, 'window_update').length >= 1);
  },
  rst_injected_out_of_window: (a) => injectedRst(a, 'RST outside the receive window: dropped'),
  rst_injected_in_window: (a) => {
    const rst = injectedRst(a, 'RST in the window but not at RCV.NXT: RFC 5961 challenge ACK, no state change');
    const answer = only(a).segments[rst.index + 1]!;
    assert.ok(answer.fromClient && answer.len === 0 && answer.flags === 0x10, 'the kernel answered with a challenge ACK');
  },
  rst_injected_exact: (a) => {
    // Forged at the client's RCV.NXT: the client resets, as its kernel did. The server goes on (its FIN, 0.5 s later,
    // from the same sequence space), so the RST was not its own: its close is taken back.
    const c = only(a);
    const rst = c.segments.find((s) => s.flags === 0x04 && !s.fromClient)!;
    assert.deepEqual(rst.anomalies, [DISOWNED_RST]);
    assert.deepEqual(states(c.clientHistory).slice(-2), ['ESTABLISHED', 'CLOSED']);
    assert.equal(c.clientHistory.at(-1)!.segment, rst.index);
    assert.deepEqual(states(c.serverHistory).slice(-3), ['ESTABLISHED', 'FIN_WAIT_1', 'CLOSED']);
    assert.ok(!c.segments.flatMap((s) => s.anomalies).some((x) => x.includes('in state CLOSED')));
    assert.match(stepExplainer(c)(rst.index).text, /Not the server's own/);
  },
  rst_ack_injected_in_syn_sent: (a) => {
    const c = only(a);
    const rst = c.segments.find((s) => s.flags & 0x04)!;
    assert.deepEqual(rst.anomalies, [FORGED_RST, 'RST ignored in SYN_SENT: its ACK does not acknowledge the SYN']);
    assert.deepEqual(rst.analysis, []);
    assert.equal(c.outcome, 'complete');
    const synAck = c.segments.find((s) => s.flags === 0x12)!;
    assert.equal(synAck.relSeq, 0);
    assert.deepEqual(synAck.analysis, [], 'the real SYN,ACK is neither a retransmission nor a reused port');
    assert.ok(!c.clientHistory.concat(c.serverHistory).some((e) => e.segment === rst.index));
  },
  syn_injected_in_established: (a) => {
    const c = only(a);
    const syn = c.segments.find((s) => s.flags === 0x02 && s.index > 0)!;
    assert.deepEqual(syn.anomalies, [FORGED_SYN, 'SYN received in state ESTABLISHED: RFC 5961 challenge ACK']);
    const answer = c.segments[syn.index + 1]!;
    assert.ok(!answer.fromClient && answer.flags === 0x10, 'the kernel answered with a challenge ACK');
    assert.equal(c.outcome, 'complete');
    const fin = c.segments.find((s) => s.flags & 0x01 && s.fromClient)!;
    assert.equal(fin.relSeq, 101, 'relative numbers go on from the real ISN');
    assert.deepEqual(fin.analysis, []);
  },
  tunnel_vxlan: (a) => {
    // The inner connection, with the tunnel named on every segment; the tunnel's own traffic (ARP, neighbour
    // discovery inside it) is not TCP.
    const c = only(a);
    assert.equal(c.client, '10.78.0.1:40024');
    assert.equal(c.outcome, 'complete');
    assert.equal(c.via, 'IPv4 10.77.0.1 > 10.77.0.2 / VXLAN VNI 42');
    assert.ok(c.segments.length >= 10);
    for (const s of c.segments) assert.equal(s.via, `IPv4 ${s.fromClient ? '10.77.0.1 > 10.77.0.2' : '10.77.0.2 > 10.77.0.1'} / VXLAN VNI 42`);
    assert.ok(a.decode.nonIp + a.decode.nonTcp > 0);
  },
  keepalive: (a) => {
    assert.ok(flagged(a, 'keep_alive').length >= 2);
    assert.ok(flagged(a, 'keep_alive_ack').length >= 2);
  },
};

describe('each real capture shows what it was made to show', () => {
  it('every fixture has a signature, and every signature a fixture', () => {
    assert.deepEqual(Object.keys(SIGNATURES).sort(), linuxFixtureNames());
  });
  for (const [name, check] of Object.entries(SIGNATURES)) {
    it(name, async () => check(await analyzeFile(join(LINUX_FIXTURES, `${name}.pcapng`))));
  }
});
