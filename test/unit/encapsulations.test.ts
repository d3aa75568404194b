import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeCapture, type AnalyzeOptions } from '../../src/core/analyze';
import type { CaptureRecord } from '../../src/core/capture/record';
import { PacketDecoder } from '../../src/core/decode/packet';
import { Bytes, concat, epb, ethernet, idb, ipv4, shb, tcp } from '../support/bytes';
import { encapsulationCapture, encapsulationCases } from '../support/encapsulationFrames';
import { hasTshark } from '../support/tshark';

async function analyze(bytes: Uint8Array, options: AnalyzeOptions = {}) {
  async function* once(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  return analyzeCapture(once(), options);
}

const portOf = (endpoint: string) => Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));

describe('encapsulations and link types', () => {
  const cases = encapsulationCases();
  const capture = encapsulationCapture(cases);

  it('finds the TCP segment inside each, with its layers named', async () => {
    const result = await analyze(capture);
    assert.deepEqual(result.errors, []);
    for (const c of cases) {
      const connection = result.connections.find((k) => portOf(k.client) === c.port);
      assert.ok(connection, `${c.name}: no connection`);
      assert.equal(connection.segments.length, 1, c.name);
      const segment = connection.segments[0]!;
      assert.equal(segment.seq, c.seq, c.name);
      assert.equal(segment.len, c.len, c.name);
      assert.equal(segment.via, c.via, c.name);
      assert.equal(connection.via, c.via, c.name);
      assert.equal(segment.packet, result.packets - cases.slice(cases.indexOf(c) + 1).reduce((n, k) => n + k.frames.length, 0), `${c.name}: the frame that completes it`);
    }
    assert.equal(result.decode.tcp, cases.length);
    assert.equal(result.decode.reassembledFragments, cases.reduce((n, c) => n + c.frames.length - 1, 0));
    assert.equal(result.decode.ipFragments, 0);
  });

  it('reads every frame as tshark does', { skip: !hasTshark() && 'tshark is not installed' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpviz-encap-'));
    const path = join(dir, 'encapsulations.pcapng');
    writeFileSync(path, capture);
    const out = execFileSync('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.srcport', '-e', 'tcp.seq_raw', '-e', 'tcp.len',
      '-E', 'separator=|', '-E', 'occurrence=l'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const theirs = out.trim().split('\n').map((line) => line.split('|')).filter((c) => c[1] !== '').map((c) => `#${c[0]} ${c[1]} ${c[2]} ${c[3]}`);
    const result = await analyze(capture);
    const ours = result.connections.flatMap((k) => k.segments.map((s) => ({ s, port: portOf(k.client) })))
      .sort((a, b) => a.s.packet - b.s.packet).map(({ s, port }) => `#${s.packet} ${port} ${s.seq} ${s.len}`);
    assert.equal(theirs.length, cases.length, 'tshark finds one segment per case');
    assert.deepEqual(ours, theirs);
  });

  it('tells where a reassembled segment\'s fragments lie, so its connection can be read again from them', async () => {
    const placed: Array<[number, number]> = [];
    const result = await analyze(capture, { onPlaced: (connection, record: CaptureRecord) => placed.push([connection.id, record.packet]) });
    const fragmented = cases.filter((c) => c.frames.length > 1);
    for (const c of fragmented) {
      const connection = result.connections.find((k) => portOf(k.client) === c.port)!;
      const packets = placed.filter(([id]) => id === connection.id).map(([, packet]) => packet).sort((a, b) => a - b);
      const last = connection.segments[0]!.packet;
      assert.deepEqual(packets, Array.from({ length: c.frames.length }, (_, i) => last - c.frames.length + 1 + i), c.name);
    }
  });
});

describe('IP fragments', () => {
  const payload = tcp({ sport: 1234, seq: 99, flags: 0x018, payload: 64 });
  const piece = (id: number, from: number, to: number, more: boolean) => {
    const frame = ipv4(payload.subarray(from, to), { fragment: (more ? 0x2000 : 0) | (from / 8) });
    frame[4] = id >> 8;
    frame[5] = id & 0xff;
    return frame;
  };
  const decodeAll = (decoder: PacketDecoder, frames: Uint8Array[], times = frames.map(() => 0)) =>
    frames.map((data, i) => {
      const record: CaptureRecord = { packet: i + 1, offset: 100 * i, length: data.length, time: times[i]!, linkType: 228, data, dataStart: 0, capturedLength: data.length, originalLength: data.length };
      return decoder.decode(record, new DataView(data.buffer))?.payloadLength;
    });

  it('puts datagrams together whatever the order, and keeps those of two datagrams apart', () => {
    const decoder = new PacketDecoder();
    const lengths = decodeAll(decoder, [piece(1, 40, 84, false), piece(2, 0, 40, true), piece(1, 0, 40, true), piece(2, 40, 84, false)]);
    assert.deepEqual(lengths, [undefined, undefined, 64, 64]);
    assert.equal(decoder.stats.reassembledFragments, 2);
  });

  it('gives up a datagram whose fragments stop coming, and bounds what waits', () => {
    const decoder = new PacketDecoder();
    // 3,000 first fragments, never completed: at most 1,024 wait at once; all are counted as skipped in the end.
    decodeAll(decoder, Array.from({ length: 3000 }, (_, i) => piece(i, 0, 40, true)));
    decoder.finish();
    assert.equal(decoder.stats.ipFragments, 3000);
    // One whose second half comes 61 s later: given up at 60 s.
    const late = new PacketDecoder();
    assert.deepEqual(decodeAll(late, [piece(7, 0, 40, true), piece(7, 40, 84, false)], [0, 61]), [undefined, undefined]);
    late.finish();
    assert.equal(late.stats.ipFragments, 2);
  });

  it('does not hold a fragment cut by the snapshot length', () => {
    const decoder = new PacketDecoder();
    const first = piece(3, 0, 40, true);
    const record: CaptureRecord = { packet: 1, offset: 0, length: 0, time: 0, linkType: 228, data: first, dataStart: 0, capturedLength: 30, originalLength: first.length };
    assert.equal(decoder.decode(record, new DataView(first.buffer)), undefined);
    assert.equal(decoder.stats.ipFragments, 1);
  });
});

describe('what is not read is counted by cause', () => {
  it('encrypted 802.11, multilink PPP fragments, unknown link types', async () => {
    const encrypted = concat(new Bytes().u8(0x08, 0x41).u16(0).bytes(new Array(20).fill(3)).build(), new Uint8Array(40));
    const mlpppFragment = new Bytes().u8(0xff, 0x03).u16(0x003d).u8(0x80, 0, 0, 1).u16(0x0021).bytes(new Array(30).fill(0)).build();
    const file = concat(shb(), idb(105), idb(9), idb(147),
      epb(0, 0n, encrypted), epb(1, 0n, mlpppFragment), epb(1, 0n, mlpppFragment), epb(2, 0n, new Uint8Array(20)));
    const result = await analyze(file);
    assert.deepEqual(result.decode.unread, { 'encrypted 802.11 frames': 1, 'multilink PPP fragments never put together': 2 });
    assert.deepEqual(result.decode.unsupportedLinkTypes, { '147': 1 });
  });
});

describe('multilink PPP fragments', () => {
  it('are held within bounds: 1,000 first fragments never completed are all counted, none decoded', async () => {
    const fragment = (sequence: number) => new Bytes().u8(0xff, 0x03).u16(0x003d).u8(0x80, sequence >> 16, sequence >> 8, sequence).u16(0x0021).bytes(new Array(40).fill(0)).build();
    const file = concat(shb(), idb(9), ...Array.from({ length: 1000 }, (_, i) => epb(0, BigInt(i), fragment(2 * i))));
    const result = await analyze(file);
    assert.equal(result.decode.tcp, 0);
    assert.deepEqual(result.decode.unread, { 'multilink PPP fragments never put together': 1000 });
  });

  it('of the two directions are kept apart where the link header says which way each went, though they share numbers', async () => {
    // Each direction numbers its own fragments, so both send a 70 and a 71; interleaved, a reader that mixes the
    // directions (tshark does) puts one direction's start to the other's end.
    const inner = (port: number) => concat(new Bytes().u16(0x0021).build(), ipv4(tcp({ sport: port, dport: 80, seq: port, ack: 1, flags: 0x018, payload: 40 })));
    const fragment = (direction: number, flags: number, sequence: number, data: Uint8Array) =>
      concat(new Bytes().u8(direction, 0xff, 0x03).u16(0x003d).u8(flags, sequence >> 16, sequence >> 8, sequence).build(), data);
    const sent = inner(1111);
    const received = inner(2222);
    const frames = [fragment(1, 0x80, 70, sent.subarray(0, 30)), fragment(0, 0x80, 70, received.subarray(0, 30)),
      fragment(1, 0x40, 71, sent.subarray(30)), fragment(0, 0x40, 71, received.subarray(30))];
    const result = await analyze(concat(shb(), idb(204), ...frames.map((f, i) => epb(0, BigInt(i), f))));
    assert.deepEqual(result.decode.unread, {});
    assert.deepEqual(result.connections.map((c) => [portOf(c.client), c.segments[0]!.seq, c.segments[0]!.len, c.segments[0]!.packet]), [[1111, 1111, 40, 3], [2222, 2222, 40, 4]]);
  });
});

describe('IP lengths as tshark takes them', () => {
  it('cuts a total length beyond the frame to the frame, and says so on the segment', async () => {
    const segment = tcp({ flags: 0x018, payload: 100 });
    const frame = ethernet(ipv4(segment, { totalLength: 1500 }), 0x0800);
    const result = await analyze(concat(shb(), idb(1), epb(0, 0n, frame)));
    const s = result.connections[0]!.segments[0]!;
    assert.equal(s.len, 100);
    assert.ok(s.anomalies.some((a) => a.includes('1500') && a.includes('140')), s.anomalies.join('; '));
  });
});
