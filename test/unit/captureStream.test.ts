import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaptureStream } from '../../src/core/capture/captureStream';
import type { CaptureRecord } from '../../src/core/capture/record';
import { epb, idb, ipv4, opb, pcap, shb, spb, tcp, block, Bytes, concat } from '../support/bytes';

interface Read {
  records: Array<Omit<CaptureRecord, 'data' | 'dataStart'> & { bytes: number[] }>;
  errors: Array<{ offset: number; message: string }>;
  format: string | undefined;
  notCapture: boolean;
}

function read(file: Uint8Array, chunkSize = file.length || 1): Read {
  const records: Read['records'] = [];
  const stream = new CaptureStream((r) => {
    const { data, dataStart, ...rest } = r;
    records.push({ ...rest, bytes: [...data.subarray(dataStart, dataStart + r.capturedLength)] });
  });
  for (let i = 0; i < file.length; i += chunkSize) stream.push(file.subarray(i, i + chunkSize));
  stream.end();
  return { records, errors: stream.errors, format: stream.format, notCapture: stream.notCapture };
}

const frameA = Uint8Array.from([1, 2, 3, 4, 5]);
const frameB = Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]);

describe('classic pcap', () => {
  for (const little of [true, false]) {
    for (const nano of [false, true]) {
      it(`reads ${little ? 'little' : 'big'}-endian ${nano ? 'nanosecond' : 'microsecond'} files`, () => {
        const file = pcap([{ seconds: 1700000000, fraction: nano ? 123456789 : 123456, data: frameA },
          { seconds: 1700000001, fraction: 5, data: frameB }], { little, nano, linkType: 101 });
        const result = read(file);
        assert.equal(result.format, 'pcap');
        assert.deepEqual(result.errors, []);
        assert.equal(result.records.length, 2);
        assert.deepEqual(result.records.map((r) => [r.packet, r.offset, r.linkType, r.bytes.length]), [[1, 24, 101, 5], [2, 24 + 16 + 5, 101, 8]]);
        assert.equal(result.records[0]!.time, 1700000000 + (nano ? 0.123456789 : 0.123456));
        assert.equal(result.records[1]!.time, 1700000001 + (nano ? 5e-9 : 5e-6));
        assert.deepEqual(result.records[1]!.bytes, [...frameB]);
      });
    }
  }

  it('keeps packets cut by the snapshot length and reports their original length', () => {
    const result = read(pcap([{ seconds: 1, fraction: 0, data: frameB, capturedLength: 4, originalLength: 8 }], { snap: 4 }));
    assert.deepEqual(result.errors, []);
    assert.equal(result.records[0]!.capturedLength, 4);
    assert.equal(result.records[0]!.originalLength, 8);
  });

  it('reads on past a sub-second field of a second or more, adding it on as tshark does', () => {
    const result = read(pcap([{ seconds: 10, fraction: 1_011_041, data: frameA }, { seconds: 12, fraction: 5, data: frameB }]));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.records.map((r) => r.time), [11.011041, 12.000005]);
  });

  it('gives the same records whatever the chunk size', () => {
    const file = pcap(Array.from({ length: 20 }, (_, i) => ({ seconds: i, fraction: i, data: i % 2 ? frameA : frameB })));
    const whole = read(file);
    for (const size of [1, 2, 3, 7, 16, 17, 64, 1000]) assert.deepEqual(read(file, size), whole, `chunk size ${size}`);
  });

  it('reads every whole record before a cut, and names the offset of the cut one', () => {
    const file = pcap([{ seconds: 1, fraction: 0, data: frameA }, { seconds: 2, fraction: 0, data: frameB }, { seconds: 3, fraction: 0, data: frameA }]);
    const boundaries = [24, 45, 69, 90];
    for (let cut = 0; cut < file.length; cut++) {
      const result = read(file.subarray(0, cut), 5);
      const whole = boundaries.filter((b, i) => i > 0 && b <= cut).length;
      assert.equal(result.records.length, whole, `cut at ${cut}`);
      if (boundaries.includes(cut)) {
        assert.deepEqual(result.errors, [], `cut at boundary ${cut}`);
      } else {
        assert.equal(result.errors.length, 1, `cut at ${cut}`);
        const expectedOffset = cut < 24 ? 0 : boundaries.filter((b) => b <= cut).at(-1)!;
        assert.equal(result.errors[0]!.offset, expectedOffset, `cut at ${cut}: ${result.errors[0]!.message}`);
        // The offset is the error's field, not repeated in its words.
        assert.match(result.errors[0]!.message, /^(truncated pcap record: it needs \d+ bytes|not a capture)/);
        assert.doesNotMatch(result.errors[0]!.message, /offset/);
      }
    }
  });

  it('stops at a corrupt record length with its offset and keeps what came before', () => {
    const file = pcap([{ seconds: 1, fraction: 0, data: frameA }, { seconds: 2, fraction: 0, data: frameA }]);
    new DataView(file.buffer).setUint32(45 + 8, 0x7fffffff, true);
    const result = read(file);
    assert.equal(result.records.length, 1);
    assert.equal(result.errors[0]!.offset, 45);
    assert.match(result.errors[0]!.message, /captured length/);
  });
});

describe('pcapng', () => {
  for (const little of [true, false]) {
    it(`reads ${little ? 'little' : 'big'}-endian sections with enhanced, simple and obsolete packet blocks`, () => {
      const file = concat(
        shb(little),
        idb(1, { little }),
        epb(0, 1700000000_123456n, frameA, { little }),
        block(4, new Bytes(little).u16(0).u16(0).build(), little), // name resolution: skipped
        block(5, new Bytes(little).u32(0).u32(0).u32(0).build(), little), // interface statistics: skipped
        block(0x0a, new Bytes(little).u32(0x544c534b).u32(0).build(), little), // decryption secrets: skipped
        block(0x0bad, new Bytes(little).u32(32473).build(), little), // custom block: skipped
        spb(frameB, little),
        opb(0, 1700000002_000000n, frameA, little),
      );
      const result = read(file);
      assert.equal(result.format, 'pcapng');
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.records.map((r) => [r.packet, r.linkType, r.bytes.length]), [[1, 1, 5], [2, 1, 8], [3, 1, 5]]);
      assert.equal(result.records[0]!.time, 1700000000.123456);
      assert.ok(Number.isNaN(result.records[1]!.time), 'a simple packet block has no timestamp');
      assert.equal(result.records[2]!.time, 1700000002);
    });
  }

  it('applies each interface\'s if_tsresol and if_tsoffset, and its own link type', () => {
    const file = concat(
      shb(),
      idb(1, { tsresol: 9 }),
      idb(101, { tsresol: 0x80 | 10, tsoffset: 1000 }),
      epb(0, 1700000000_000000001n, frameA),
      epb(1, 1024n * 5n + 512n, frameB),
    );
    const result = read(file);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.records.map((r) => r.linkType), [1, 101]);
    assert.equal(result.records[0]!.time, 1700000000 + 1e-9);
    assert.equal(result.records[1]!.time, 1005.5);
  });

  it('starts a new interface list in each section, whatever its byte order', () => {
    const file = concat(shb(true), idb(1), epb(0, 1n, frameA), shb(false), idb(101, { little: false }), epb(0, 2n, frameB, { little: false }));
    const result = read(file, 7);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.records.map((r) => [r.packet, r.linkType]), [[1, 1], [2, 101]]);
  });

  it('reports a packet block for an undescribed interface and a trailer that disagrees', () => {
    const noInterface = concat(shb(), epb(3, 1n, frameA));
    assert.match(read(noInterface).errors[0]!.message, /interface 3/);
    const badTrailer = concat(shb(), idb(1), epb(0, 1n, frameA));
    const view = new DataView(badTrailer.buffer);
    view.setUint32(badTrailer.length - 4, 999, true);
    const result = read(badTrailer);
    assert.equal(result.records.length, 0);
    assert.equal(result.errors[0]!.offset, badTrailer.length - 4);
  });

  it('reads every whole block before a cut at any offset', () => {
    const parts = [shb(), idb(1), epb(0, 1n, frameA), epb(0, 2n, frameB)];
    const file = concat(...parts);
    const ends = parts.map((_, i) => concat(...parts.slice(0, i + 1)).length);
    for (let cut = 1; cut < file.length; cut++) {
      const result = read(file.subarray(0, cut), 3);
      assert.equal(result.records.length, ends.slice(2).filter((e) => e <= cut).length, `cut at ${cut}`);
      assert.equal(result.errors.length, ends.includes(cut) ? 0 : 1, `cut at ${cut}`);
    }
  });
});

describe('input that is not a capture', () => {
  it('says so in one error for text, random bytes and an empty file', () => {
    for (const bytes of [new TextEncoder().encode('hello, world\n'), Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 1, 2]), new Uint8Array(0)]) {
      const result = read(bytes);
      assert.equal(result.records.length, 0);
      assert.equal(result.errors.length, 1);
      assert.match(result.errors[0]!.message, /not a capture/);
    }
  });

  it('a valid packet inside a valid file reads through', () => {
    const result = read(pcap([{ seconds: 1, fraction: 0, data: ipv4(tcp()) }], { linkType: 228 }));
    assert.equal(result.records[0]!.bytes.length, 40);
  });
});
