import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeCapture } from '../../src/core/analyze';
import { ethernet, ipv4, pcap, tcp, type TcpSpec } from '../support/bytes';
import { chunksOf } from '../support/files';
import { hasTshark } from '../support/tshark';

const client = (spec: TcpSpec) => ethernet(ipv4(tcp({ sport: 40000, dport: 80, ...spec })), 0x0800);
const server = (spec: TcpSpec) => ethernet(ipv4(tcp({ sport: 80, dport: 40000, ...spec }), { src: [10, 0, 0, 2], dst: [10, 0, 0, 1] }), 0x0800);

/**
 * tshark 4.0's order of the retransmission tests, each case within the out-of-order threshold (the handshake's 20 ms):
 * a SYN or FIN sent again counts its one byte (a retransmission, not out of order), and data already acknowledged is
 * a spurious retransmission, which is a retransmission too, before any out-of-order test.
 */
const FRAMES: Array<[time: number, frame: Uint8Array, flags: string[]]> = [
  [0, client({ seq: 1000, flags: 0x002 }), []],
  [0.010, server({ seq: 5000, ack: 1001, flags: 0x012 }), []],
  [0.020, client({ seq: 1001, ack: 5001, flags: 0x010 }), []],
  [0.025, server({ seq: 5000, ack: 1001, flags: 0x012 }), ['retransmission']],
  [0.030, client({ seq: 1001, ack: 5001, flags: 0x018, payload: 10 }), []],
  [0.031, client({ seq: 1011, ack: 5001, flags: 0x011 }), []],
  [0.035, client({ seq: 1011, ack: 5001, flags: 0x011 }), ['retransmission']],
  [0.040, server({ seq: 5001, ack: 1011, flags: 0x010 }), []],
  [0.041, client({ seq: 1001, ack: 5001, flags: 0x018, payload: 10 }), ['retransmission', 'spurious_retransmission']],
];

describe('analysis flags by tshark 4.0\'s rules', () => {
  const bytes = pcap(FRAMES.map(([t, data]) => ({ seconds: 1000, fraction: Math.round(t * 1e6), data })));

  it('retransmitted SYN,ACK and FIN, and a spurious retransmission, within the out-of-order threshold', async () => {
    const result = await analyzeCapture(chunksOf(bytes, 4096));
    assert.deepEqual(result.connections[0]!.segments.map((s) => [...s.analysis].sort()), FRAMES.map(([, , flags]) => flags));
  });

  it('tshark agrees', { skip: !hasTshark() && 'tshark is not installed' }, () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tcpviz-rules-')), 'rules.pcap');
    writeFileSync(path, bytes);
    const out = execFileSync('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'tcp.analysis.retransmission', '-e', 'tcp.analysis.spurious_retransmission',
      '-e', 'tcp.analysis.out_of_order', '-E', 'separator=|'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const names = ['retransmission', 'spurious_retransmission', 'out_of_order'];
    const theirs = out.trim().split('\n').map((line) => line.split('|').flatMap((v, i) => (v ? [names[i]!] : [])).sort());
    assert.deepEqual(theirs, FRAMES.map(([, , flags]) => flags));
  });

  // A refused SYN, sent again with the same ISN, answered by a listener that opened since: the SYN,ACK's ISN is not the
  // base the refusal's RST gave the server's direction.
  const REFUSED_THEN_ANSWERED: Array<[time: number, frame: Uint8Array, flags: string[]]> = [
    [0, client({ seq: 1000, flags: 0x002 }), []],
    [0.001, server({ seq: 0, ack: 1001, flags: 0x014 }), []],
    [1, client({ seq: 1000, flags: 0x002 }), ['retransmission']],
    // The direction's analysis starts again from it: no lost segment before it, no "ACKed unseen" after.
    [1.001, server({ seq: 5000, ack: 1001, flags: 0x012 }), ['reused_ports']],
    [1.002, client({ seq: 1001, ack: 5001, flags: 0x010 }), []],
  ];
  const refused = pcap(REFUSED_THEN_ANSWERED.map(([t, data]) => ({ seconds: 1000 + Math.floor(t), fraction: Math.round((t % 1) * 1e6), data })));

  it('a SYN,ACK with another ISN than its direction\'s base: port numbers reused', async () => {
    const result = await analyzeCapture(chunksOf(refused, 4096));
    assert.equal(result.connections.length, 1);
    assert.deepEqual(result.connections[0]!.segments.map((s) => [...s.analysis]), REFUSED_THEN_ANSWERED.map(([, , flags]) => flags));
  });

  it('tshark agrees on it', { skip: !hasTshark() && 'tshark is not installed' }, () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tcpviz-rules-')), 'refused.pcap');
    writeFileSync(path, refused);
    const names = ['reused_ports', 'retransmission', 'lost_segment', 'ack_lost_segment'];
    const out = execFileSync('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'tcp.stream', ...names.flatMap((n) => ['-e', `tcp.analysis.${n}`])],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = out.replace(/\n$/, '').split('\n').map((line) => line.split('\t'));
    assert.deepEqual(rows.map((r) => r.slice(1).flatMap((v, i) => (v ? [names[i]!] : []))), REFUSED_THEN_ANSWERED.map(([, , flags]) => flags));
    assert.deepEqual(new Set(rows.map(([stream]) => stream)).size, 1, 'one tcp.stream');
  });
});
