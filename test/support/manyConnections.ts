/**
 * A capture of `count` connections made from a real one: the packets of a little-endian Ethernet pcap holding one
 * IPv4 connection, written again `count` times, each copy from its own client port (from `firstPort`) and a second
 * later than the one before. TCP checksums are left as they were (the decoder does not check them).
 */
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
      const tcp = 16 + 14 + (out[at + 16 + 14]! & 0x0f) * 4;
      for (const port of [tcp, tcp + 2]) if (view.getUint16(port) === clientPort) view.setUint16(port, firstPort + copy);
      at += record.length;
    }
  }
  return out;
}
