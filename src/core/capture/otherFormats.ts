/**
 * Capture formats tcpviz does not read, recognised by their first bytes so that a person is told what the file is and
 * how to convert it, rather than that it is "not a capture". Files with these formats often carry the `.cap` extension,
 * which the extension's editor is registered for. Signatures as Wireshark's readers (wiretap) test them.
 */
const SIGNATURES: ReadonlyArray<[name: string, signature: readonly number[]]> = [
  ['a NetXRay / Windows Sniffer capture', [...ascii('XCP'), 0]],
  ['a DOS Sniffer capture', ascii('TRSNIFF data    \x1a')],
  ['a modified (Kuznetsov) pcap capture', [0xa1, 0xb2, 0xcd, 0x34]],
  ['a modified (Kuznetsov) pcap capture', [0x34, 0xcd, 0xb2, 0xa1]],
];

/**
 * Text traces tshark reads, by what their first lines hold: an Ascend router's (its packets' headers, as Wireshark's
 * ascend reader looks for them) and a K12 text export (its frame separator line).
 */
const TEXT_TRACES: ReadonlyArray<[name: string, marker: RegExp]> = [
  ['an Ascend WAN router trace (text)', /(^|\n)\s*(PRI-XMIT-|PRI-RECV-|XMIT-|RECV-|SEND-)\S*:/],
  ['a K12 text trace', /^\+-{9}\+-{15}\+-{10}\+/],
];

/** What the file is, in words, if its first bytes are those of a capture format tcpviz does not read. */
export function otherCaptureFormat(head: Uint8Array): string | undefined {
  const binary = SIGNATURES.find(([, signature]) => signature.length <= head.length && signature.every((b, i) => head[i] === b))?.[0];
  if (binary) return binary;
  const text = String.fromCharCode(...head.subarray(0, 64));
  return TEXT_TRACES.find(([, marker]) => marker.test(text))?.[0];
}

/** How to make a file tcpviz reads from one that Wireshark reads. */
export const CONVERT_HINT = 'convert it with Wireshark\'s editcap: editcap -F pcapng FILE FILE.pcapng';

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}
