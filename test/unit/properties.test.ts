import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CaptureAnalyzer } from '../../src/core/analyze';
import { isAllowedTransition, TCP_STATES } from '../../src/core/tcp/states';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { Conversation } from '../support/conversation';
import { epb, idb, ipv4, ipv6, ethernet, pcap, shb, tcp, concat } from '../support/bytes';

const FLAG_SETS = ['SYN', 'SYN,ACK', 'ACK', 'PSH,ACK', 'FIN,ACK', 'FIN', 'RST', 'RST,ACK', 'FIN,PSH,ACK'];

const step = fc.record({
  fromClient: fc.boolean(),
  flags: fc.constantFrom(...FLAG_SETS),
  len: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
  // Mostly the natural sequence numbers, sometimes a jump, a step back or garbage.
  seqShift: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -5000, max: 5000 }), fc.constant(2 ** 31)),
  ackShift: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -5000, max: 5000 })),
  dt: fc.oneof(fc.constant(0.001), fc.double({ min: 0, max: 300, noNaN: true })),
});

describe('properties of the state model', () => {
  it('random segment sequences never throw, use only RFC 9293 states, and make only transitions RFC 9293 allows', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (steps, iss) => {
        const conv = new Conversation(iss, (iss + 12345) >>> 0);
        let cSeq = iss;
        let sSeq = (iss + 12345) >>> 0;
        for (const s of steps) {
          const base = s.fromClient ? cSeq : sSeq;
          const seq = (base + s.seqShift) >>> 0;
          const options = { seq, len: s.len, dt: s.dt, ack: ((s.fromClient ? sSeq : cSeq) + s.ackShift) >>> 0 };
          if (s.fromClient) conv.c(s.flags, options);
          else conv.s(s.flags, options);
          const space = s.len + (s.flags.includes('SYN') ? 1 : 0) + (s.flags.includes('FIN') ? 1 : 0);
          if (s.fromClient) cSeq = (seq + space) >>> 0;
          else sSeq = (seq + space) >>> 0;
        }
        for (const connection of conv.finish()) {
          for (const history of [connection.clientHistory, connection.serverHistory]) {
            for (const entry of history) assert.ok(TCP_STATES.includes(entry.state));
            for (let i = 1; i < history.length; i++) {
              const from = history[i - 1]!.state;
              const to = history[i]!.state;
              assert.ok(isAllowedTransition(from, to), `${from} → ${to} is not an RFC 9293 transition`);
            }
          }
          for (const page of sequenceDiagram(connection, { budget: 12 })) assert.ok(page.items <= 12);
          assert.ok(['complete', 'reset', 'refused', 'unanswered', 'half-open', 'open', 'midstream'].includes(connection.outcome));
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('properties of the capture reader', () => {
  it('any chunking of a capture gives the same result as one chunk', () => {
    const frames = Array.from({ length: 12 }, (_, i) => ethernet(i % 3 ? ipv4(tcp({ seq: i * 100, flags: 0x010, payload: i })) : ipv6(tcp({ seq: i })), i % 3 ? 0x0800 : 0x86dd));
    const files = [
      pcap(frames.map((data, i) => ({ seconds: i, fraction: 0, data }))),
      concat(shb(), idb(1), ...frames.map((f, i) => epb(0, BigInt(i) * 1000000n, f))),
    ];
    const summary = (bytes: Uint8Array, sizes: number[]) => {
      const analyzer = new CaptureAnalyzer();
      let at = 0;
      for (let i = 0; at < bytes.length; i++) {
        const size = sizes[i % sizes.length]!;
        analyzer.push(bytes.subarray(at, at + size));
        at += size;
      }
      const result = analyzer.finish();
      return JSON.stringify({ packets: result.packets, errors: result.errors, connections: result.connections.map((c) => c.segments.map((s) => [s.packet, s.seq, s.len])) });
    };
    for (const file of files) {
      const whole = summary(file, [file.length]);
      fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 10 }), (sizes) => {
        assert.equal(summary(file, sizes), whole);
      }), { numRuns: 300 });
    }
  });
});
