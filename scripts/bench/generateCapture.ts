// Writes a large, realistic pcap for benchmarks: many interleaved connections over IPv4 and IPv6 with handshakes,
// bulk data in MSS-sized segments, delayed ACKs, retransmissions and mixed endings (graceful closes either way, resets,
// refused and unanswered SYNs, connections left open). Deterministic for a given seed.
//   node --import tsx scripts/bench/generateCapture.ts OUT.pcap --mb 200 --connections 20000
import { closeSync, openSync, writeSync } from 'node:fs';

const args = process.argv.slice(2);
const out = args[0];
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
if (!out) {
  console.error('usage: generateCapture.ts OUT.pcap [--mb 200] [--connections 20000] [--seed 1]');
  process.exit(1);
}
const targetBytes = option('mb', 200) * 1024 * 1024;
const connections = option('connections', 20000);
let seed = option('seed', 1);
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const MSS = 1448;
const SYN = 2, ACK = 16, FIN = 1, RST = 4, PSH = 8;
const buffer = Buffer.alloc(8 << 20);
const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
let used = 0;
let written = 0;
const fd = openSync(out, 'w');
const flush = () => {
  writeSync(fd, buffer, 0, used);
  written += used;
  used = 0;
};

// pcap file header: little-endian, microseconds, Ethernet.
view.setUint32(0, 0xa1b2c3d4, true);
view.setUint16(4, 2, true);
view.setUint16(6, 4, true);
view.setUint32(16, 262144, true);
view.setUint32(20, 1, true);
used = 24;

let clock = 1_795_000_000;
interface Flow {
  v6: boolean;
  client: number;
  port: number;
  cSeq: number;
  sSeq: number;
  toSend: number;
  plan: Array<() => void>;
}

function packet(flow: Flow, fromClient: boolean, flags: number, seq: number, ack: number, len: number, opts = false): void {
  const ipHeader = flow.v6 ? 40 : 20;
  const tcpHeader = opts ? 40 : 32;
  const frame = 14 + ipHeader + tcpHeader + len;
  if (used + 16 + frame > buffer.length) flush();
  clock += 0.000004 + random() * 0.00002;
  const seconds = Math.floor(clock);
  view.setUint32(used, seconds, true);
  view.setUint32(used + 4, Math.floor((clock - seconds) * 1e6), true);
  view.setUint32(used + 8, frame, true);
  view.setUint32(used + 12, frame, true);
  let p = used + 16;
  buffer.fill(0, p, p + frame - len);
  view.setUint16(p + 12, flow.v6 ? 0x86dd : 0x0800);
  p += 14;
  const clientAddr = flow.client;
  if (flow.v6) {
    view.setUint32(p, 0x60000000);
    view.setUint16(p + 4, tcpHeader + len);
    view.setUint8(p + 6, 6);
    view.setUint8(p + 7, 64);
    const [src, dst] = fromClient ? [p + 8, p + 24] : [p + 24, p + 8];
    view.setUint32(src, 0xfd000000);
    view.setUint32(src + 12, clientAddr);
    view.setUint32(dst, 0xfd000000);
    view.setUint32(dst + 12, 1);
  } else {
    view.setUint8(p, 0x45);
    view.setUint16(p + 2, 20 + tcpHeader + len);
    view.setUint16(p + 6, 0x4000);
    view.setUint8(p + 8, 64);
    view.setUint8(p + 9, 6);
    const [src, dst] = fromClient ? [p + 12, p + 16] : [p + 16, p + 12];
    view.setUint32(src, 0x0a000000 | (clientAddr & 0xffffff));
    view.setUint32(dst, 0x0ac80001);
  }
  p += ipHeader;
  view.setUint16(p, fromClient ? flow.port : 443);
  view.setUint16(p + 2, fromClient ? 443 : flow.port);
  view.setUint32(p + 4, seq >>> 0);
  view.setUint32(p + 8, ack >>> 0);
  view.setUint8(p + 12, (tcpHeader / 4) << 4);
  view.setUint8(p + 13, flags);
  view.setUint16(p + 14, 502);
  const o = p + 20;
  if (opts) {
    buffer.set([2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7], o);
  } else {
    buffer.set([1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 1], o);
  }
  used += 16 + frame;
}

function newFlow(i: number): Flow {
  const flow: Flow = {
    v6: random() < 0.3, client: 2 + i, port: 1024 + (i % 60000), cSeq: Math.floor(random() * 2 ** 32),
    sSeq: Math.floor(random() * 2 ** 32), toSend: Math.floor((targetBytes / connections) * (0.5 + random())), plan: [],
  };
  const c = (flags: number, len = 0, opts = false) => () => {
    packet(flow, true, flags, flow.cSeq, flow.sSeq, len, opts);
    flow.cSeq += len + (flags & (SYN | FIN) ? 1 : 0);
  };
  const s = (flags: number, len = 0, opts = false) => () => {
    packet(flow, false, flags, flow.sSeq, flow.cSeq, len, opts);
    flow.sSeq += len + (flags & (SYN | FIN) ? 1 : 0);
  };
  const kind = random();
  const plan = flow.plan;
  plan.push(c(SYN, 0, true));
  if (kind < 0.03) {
    plan.push(() => packet(flow, false, RST | ACK, 0, flow.cSeq, 0));
    return flow;
  }
  if (kind < 0.05) {
    plan.push(() => packet(flow, true, SYN, flow.cSeq - 1, 0, 0, true));
    return flow;
  }
  plan.push(s(SYN | ACK, 0, true), c(ACK), c(PSH | ACK, 300), s(ACK));
  let sent = 0;
  let unacked = 0;
  while (sent < flow.toSend) {
    const len = Math.min(MSS, flow.toSend - sent);
    sent += len;
    if (random() < 0.01) {
      // A lost segment: the same bytes again.
      plan.push(() => {
        packet(flow, false, ACK, flow.sSeq, flow.cSeq, len);
        packet(flow, false, ACK, flow.sSeq, flow.cSeq, len);
        flow.sSeq += len;
      });
    } else {
      plan.push(s(ACK, len));
    }
    if (++unacked === 2) {
      plan.push(c(ACK));
      unacked = 0;
    }
  }
  const ending = random();
  if (ending < 0.45) plan.push(c(FIN | ACK), s(FIN | ACK), c(ACK));
  else if (ending < 0.8) plan.push(s(FIN | ACK), c(ACK), c(FIN | ACK), s(ACK));
  else if (ending < 0.9) plan.push(c(RST | ACK));
  // else: still open when the capture ends.
  return flow;
}

const active: Flow[] = [];
let started = 0;
const CONCURRENT = 200;
while (started < connections || active.length > 0) {
  while (active.length < CONCURRENT && started < connections) active.push(newFlow(started++));
  const index = Math.floor(random() * active.length);
  const flow = active[index]!;
  flow.plan.shift()!();
  if (flow.plan.length === 0) {
    active[index] = active[active.length - 1]!;
    active.pop();
  }
}
flush();
closeSync(fd);
console.log(`${out}: ${(written / 1048576).toFixed(1)} MB, ${connections} connections`);
