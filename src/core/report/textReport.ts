import { skippedCauses, skippedText } from './skipped';
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

function connectionRow(c: Connection): TextRow {
  return {
    id: c.id, client: c.client, server: c.server,
    outcome: c.outcome + (c.midstream && c.outcome !== 'midstream' ? ' (midstream)' : ''),
    clientState: c.states.client, serverState: c.states.server, packets: c.packetCount, duration: c.duration,
  };
}

/**
 * A plain table of connections, their outcome and both endpoints' final states, for a terminal, line by line (each
 * with its newline): a capture with 100,000 connections makes a table of 100,000 lines, written as it is made. Rows
 * are made twice (once for the column widths) rather than kept: kept, 100,000 rows took 30 MB.
 */
export function* textReport(file: string, head: ReportHead, connections: readonly Connection[], msl: number): Generator<string> {
  const format = head.format ? `${head.format}${head.compressed ? ' (gzip)' : ''}` : 'simulated';
  const count = (n: number, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`;
  yield `${file}: ${format}, ${count(head.packets, 'packet')}, ${count(connections.length, 'TCP connection')}\n`;
  const cells = (r: TextRow) => [
    String(r.id), r.client, r.server, r.outcome, r.clientState, r.serverState, String(r.packets),
    Number.isFinite(r.duration) ? `${r.duration.toFixed(3)}s` : '-',
  ];
  const header = ['id', 'client', 'server', 'outcome', 'client state', 'server state', 'packets', 'duration'];
  const widths = header.map((h) => h.length);
  let timeWait = false;
  for (const connection of connections) {
    const row = connectionRow(connection);
    cells(row).forEach((cell, i) => (widths[i] = Math.max(widths[i]!, cell.length)));
    timeWait ||= row.clientState === 'TIME_WAIT' || row.serverState === 'TIME_WAIT';
  }
  const line = (r: string[]) => `${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`;
  if (connections.length > 0) {
    yield `\n${line(header)}${line(widths.map((w) => '-'.repeat(w)))}`;
    for (const connection of connections) yield line(cells(connectionRow(connection)));
  }
  const notes = skippedCauses(head.decode).map(skippedText);
  if (timeWait) {
    notes.push(`TIME_WAIT lasts 2×MSL = ${2 * msl} s here (RFC 9293); Linux holds it 60 s`);
  }
  if (notes.length) yield `\n${notes.map((n) => `note: ${n}\n`).join('')}`;
  // A simulated scenario's errors carry their line and column instead of a byte offset.
  for (const e of head.errors) yield head.format ? `error at byte offset ${e.offset}: ${e.message}\n` : `error at line ${e.message}\n`;
  if (head.cancelled) yield 'cancelled: the result is partial\n';
}
