/** Hand-built capture bytes for decoder tests: every field written explicitly, in the byte order asked for. */

export class Bytes {
  private readonly parts: number[] = [];
  constructor(private readonly little = false) {}
  u8(...values: number[]): this {
    for (const v of values) this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.little ? this.u8(v, v >> 8) : this.u8(v >> 8, v);
  }
  u32(v: number): this {
    return this.little ? this.u8(v, v >> 8, v >> 16, v >>> 24) : this.u8(v >>> 24, v >> 16, v >> 8, v);
  }
  bytes(data: ArrayLike<number>): this {
    for (let i = 0; i < data.length; i++) this.parts.push(data[i]! & 0xff);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  build(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export const concat = (...arrays: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
};

export interface TcpSpec {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  options?: number[];
  payload?: number;
}

export function tcp(spec: TcpSpec = {}): Uint8Array {
  const options = [...(spec.options ?? [])];
  while (options.length % 4) options.push(0);
  const b = new Bytes()
    .u16(spec.sport ?? 40000).u16(spec.dport ?? 80).u32(spec.seq ?? 1000).u32(spec.ack ?? 0)
    .u8((((20 + options.length) / 4) << 4) | ((spec.flags ?? 0x002) >> 8 & 1), (spec.flags ?? 0x002) & 0xff)
    .u16(spec.window ?? 64240).u16(0).u16(0).bytes(options);
  return concat(b.build(), new Uint8Array(spec.payload ?? 0).fill(0x61));
}

export function ipv4(payload: Uint8Array, opts: { src?: number[]; dst?: number[]; protocol?: number; options?: number[]; fragment?: number; totalLength?: number } = {}): Uint8Array {
  const options = opts.options ?? [];
  const header = 20 + options.length;
  return concat(new Bytes()
    .u8(0x40 | (header / 4), 0).u16(opts.totalLength ?? header + payload.length).u16(1).u16(opts.fragment ?? 0x4000)
    .u8(64, opts.protocol ?? 6).u16(0).bytes(opts.src ?? [10, 0, 0, 1]).bytes(opts.dst ?? [10, 0, 0, 2]).bytes(options).build(), payload);
}

/** IPv6 with extension headers given as [type, body-without-next-and-length bytes]. */
export function ipv6(payload: Uint8Array, opts: { src?: number[]; dst?: number[]; ext?: Array<[number, number[]]>; next?: number } = {}): Uint8Array {
  const ext = opts.ext ?? [];
  const headers: Uint8Array[] = [];
  ext.forEach(([type, body], i) => {
    const next = i + 1 < ext.length ? ext[i + 1]![0] : opts.next ?? 6;
    const total = 2 + body.length;
    const lengthField = type === 51 ? total / 4 - 2 : type === 44 ? 0 : total / 8 - 1;
    headers.push(new Bytes().u8(next, lengthField).bytes(body).build());
  });
  const extBytes = concat(...headers);
  const src = opts.src ?? [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1];
  const dst = opts.dst ?? [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 2];
  return concat(new Bytes().u32(0x60000000).u16(extBytes.length + payload.length).u8(ext[0]?.[0] ?? opts.next ?? 6, 64)
    .bytes(src).bytes(dst).build(), extBytes, payload);
}

export function ethernet(payload: Uint8Array, ethertype: number, vlans: Array<[number, number]> = []): Uint8Array {
  const b = new Bytes().bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]);
  for (const [tpid, tci] of vlans) b.u16(tpid).u16(tci);
  return concat(b.u16(ethertype).build(), payload);
}

export interface PcapRecord {
  seconds: number;
  fraction: number;
  data: Uint8Array;
  originalLength?: number;
  capturedLength?: number;
}

export function pcap(records: PcapRecord[], opts: { little?: boolean; nano?: boolean; linkType?: number; snap?: number } = {}): Uint8Array {
  const b = new Bytes(opts.little ?? true)
    .u32(opts.nano ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(opts.snap ?? 262144).u32(opts.linkType ?? 1);
  for (const r of records) {
    const captured = r.capturedLength ?? r.data.length;
    b.u32(r.seconds).u32(r.fraction).u32(captured).u32(r.originalLength ?? r.data.length).bytes(r.data.subarray(0, captured));
  }
  return b.build();
}

/** A pcapng block: type, body (padded), and both length fields. */
export function block(type: number, body: Uint8Array, little = true): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  return new Bytes(little).u32(type).u32(total).bytes(body).bytes(new Array(padded - body.length).fill(0)).u32(total).build();
}

export function shb(little = true): Uint8Array {
  return block(0x0a0d0d0a, new Bytes(little).u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff).build(), little);
}

export function idb(linkType: number, opts: { little?: boolean; tsresol?: number; tsoffset?: number; snap?: number } = {}): Uint8Array {
  const little = opts.little ?? true;
  const b = new Bytes(little).u16(linkType).u16(0).u32(opts.snap ?? 0);
  if (opts.tsresol !== undefined) b.u16(9).u16(1).u8(opts.tsresol).pad4();
  if (opts.tsoffset !== undefined) {
    b.u16(14).u16(8);
    const value = BigInt(opts.tsoffset);
    for (let i = 0; i < 8; i++) {
      const byte = Number((value >> BigInt(8 * (little ? i : 7 - i))) & 0xffn);
      b.u8(byte);
    }
  }
  b.u16(0).u16(0);
  return block(1, b.build(), little);
}

export function epb(iface: number, units: bigint, data: Uint8Array, opts: { little?: boolean; originalLength?: number } = {}): Uint8Array {
  const little = opts.little ?? true;
  const b = new Bytes(little).u32(iface).u32(Number(units >> 32n)).u32(Number(units & 0xffffffffn)).u32(data.length)
    .u32(opts.originalLength ?? data.length).bytes(data).pad4();
  return block(6, b.build(), little);
}

export function spb(data: Uint8Array, little = true): Uint8Array {
  return block(3, new Bytes(little).u32(data.length).bytes(data).pad4().build(), little);
}

export function opb(iface: number, units: bigint, data: Uint8Array, little = true): Uint8Array {
  const b = new Bytes(little).u16(iface).u16(0).u32(Number(units >> 32n)).u32(Number(units & 0xffffffffn)).u32(data.length)
    .u32(data.length).bytes(data).pad4();
  return block(2, b.build(), little);
}
