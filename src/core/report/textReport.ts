import type { CaptureAnalysis } from '../analyze';

/** A plain table of connections, their outcome and both endpoints' final states, for a terminal. */
export function textReport(file: string, analysis: CaptureAnalysis, msl: number): string {
  const lines: string[] = [];
  const format = analysis.format ? `${analysis.format}${analysis.compressed ? ' (gzip)' : ''}` : 'unknown format';
  lines.push(`${file}: ${format}, ${analysis.packets} packets, ${analysis.connections.length} TCP connections`);
  const rows = analysis.connections.map((c) => [
    String(c.id), c.client, c.server, c.outcome + (c.midstream && c.outcome !== 'midstream' ? ' (midstream)' : ''),
    c.states.client, c.states.server, String(c.packetCount),
    Number.isFinite(c.duration) ? `${c.duration.toFixed(3)}s` : '-',
  ]);
  const header = ['id', 'client', 'server', 'outcome', 'client state', 'server state', 'packets', 'duration'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format1 = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  if (rows.length > 0) {
    lines.push('', format1(header), format1(widths.map((w) => '-'.repeat(w))), ...rows.map(format1));
  }
  const skipped = analysis.decode;
  const notes: string[] = [];
  if (skipped.ipFragments) notes.push(`${skipped.ipFragments} IP fragments skipped (no reassembly)`);
  if (skipped.malformed) notes.push(`${skipped.malformed} malformed packets skipped`);
  for (const [type, count] of Object.entries(skipped.unsupportedLinkTypes)) notes.push(`${count} packets of unsupported link type ${type}`);
  if (analysis.connections.some((c) => c.states.client === 'TIME_WAIT' || c.states.server === 'TIME_WAIT')) {
    notes.push(`TIME_WAIT lasts 2×MSL = ${2 * msl} s here (RFC 9293); Linux holds it 60 s`);
  }
  if (notes.length) lines.push('', ...notes.map((n) => `note: ${n}`));
  for (const e of analysis.errors) lines.push(`error at byte offset ${e.offset}: ${e.message}`);
  if (analysis.cancelled) lines.push('cancelled: the result is partial');
  return lines.join('\n') + '\n';
}
