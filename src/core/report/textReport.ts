import type { CaptureAnalysis } from '../analyze';
import type { Connection } from '../tcp/connection';

/** One line of the table: everything the text report shows of a connection. */
export interface TextRow {
  id: number;
  client: string;
  server: string;
  outcome: string;
  clientState: string;
  serverState: string;
  packets: number;
  duration: number;
}

export type ReportHead = Pick<CaptureAnalysis, 'format' | 'compressed' | 'packets' | 'decode' | 'errors' | 'cancelled'>;

export function connectionRow(c: Connection): TextRow {
  return {
    id: c.id, client: c.client, server: c.server,
    outcome: c.outcome + (c.midstream && c.outcome !== 'midstream' ? ' (midstream)' : ''),
    clientState: c.states.client, serverState: c.states.server, packets: c.packetCount, duration: c.duration,
  };
}

/**
 * A plain table of connections, their outcome and both endpoints' final states, for a terminal, line by line (each
 * with its newline): a capture with 100,000 connections makes a table of 100,000 lines, written as it is made.
 */
export function* textReport(file: string, head: ReportHead, rows: readonly TextRow[], msl: number): Generator<string> {
  const format = head.format ? `${head.format}${head.compressed ? ' (gzip)' : ''}` : 'simulated';
  yield `${file}: ${format}, ${head.packets} packets, ${rows.length} TCP connections\n`;
  const cells = (r: TextRow) => [
    String(r.id), r.client, r.server, r.outcome, r.clientState, r.serverState, String(r.packets),
    Number.isFinite(r.duration) ? `${r.duration.toFixed(3)}s` : '-',
  ];
  const header = ['id', 'client', 'server', 'outcome', 'client state', 'server state', 'packets', 'duration'];
  const widths = header.map((h) => h.length);
  for (const row of rows) cells(row).forEach((cell, i) => (widths[i] = Math.max(widths[i]!, cell.length)));
  const line = (r: string[]) => `${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`;
  if (rows.length > 0) {
    yield `\n${line(header)}${line(widths.map((w) => '-'.repeat(w)))}`;
    for (const row of rows) yield line(cells(row));
  }
  const skipped = head.decode;
  const notes: string[] = [];
  if (skipped.ipFragments) notes.push(`${skipped.ipFragments} IP fragments skipped (no reassembly)`);
  if (skipped.malformed) notes.push(`${skipped.malformed} malformed packets skipped`);
  for (const [type, count] of Object.entries(skipped.unsupportedLinkTypes)) notes.push(`${count} packets of unsupported link type ${type}`);
  if (rows.some((r) => r.clientState === 'TIME_WAIT' || r.serverState === 'TIME_WAIT')) {
    notes.push(`TIME_WAIT lasts 2×MSL = ${2 * msl} s here (RFC 9293); Linux holds it 60 s`);
  }
  if (notes.length) yield `\n${notes.map((n) => `note: ${n}\n`).join('')}`;
  for (const e of head.errors) yield `error at byte offset ${e.offset}: ${e.message}\n`;
  if (head.cancelled) yield 'cancelled: the result is partial\n';
}
