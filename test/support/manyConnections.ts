/**
 * A capture of `count` connections made from a real one: the packets of a little-endian Ethernet pcap holding one
 * IPv4 connection, written again `count` times, each copy from its own client port (from `firstPort`) and a second
 * later than the one before; past PORTS_PER_ADDRESS copies the client's address moves on too (10.77.0.1, 10.77.1.1, …),
 * so that no two copies share a 4-tuple. Checksums are left as they were (the decoder does not check them).
 */
const PORTS_PER_ADDRESS = 40_000;

export function manyConnections(pcap: Uint8Array, count: number, clientPort: number, firstPort = 20000): Uint8Array {
  const records: Uint8Array[] = [];
  for (let at = 24; at + 16 <= pcap.length;) {
    const length = new DataView(pcap.buffer, pcap.byteOffset + at).getUint32(8, true);
    records.push(pcap.subarray(at, at + 16 + length));
    at += 16 + length;
  }
  const size = records.reduce((sum, r) => sum + r.length, 0);
  const out = new Uint8Array(24 + size * count);
  out.set(pcap.subarray(0, 24));
  let at = 24;
  for (let copy = 0; copy < count; copy++) {
    for (const record of records) {
      out.set(record, at);
      const view = new DataView(out.buffer, at);
      view.setUint32(0, view.getUint32(0, true) + copy, true);
      const ip = 16 + 14;
      const tcp = ip + (out[at + ip]! & 0x0f) * 4;
      for (const [port, address] of [[tcp, ip + 12], [tcp + 2, ip + 16]] as const) {
        if (view.getUint16(port) !== clientPort) continue;
        view.setUint16(port, firstPort + (copy % PORTS_PER_ADDRESS));
        out[at + address + 2] = (out[at + address + 2]! + Math.floor(copy / PORTS_PER_ADDRESS)) & 0xff;
      }
      at += record.length;
    }
  }
  return out;
}
