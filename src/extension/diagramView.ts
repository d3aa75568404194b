import { flagNames, type TcpOptions } from '../core/decode/tcpHeader';
import { sequenceDiagram } from '../core/diagram/sequenceDiagram';
import type { Connection } from '../core/tcp/connection';
import type { DiagramView, SegmentDetail } from '../shared/protocol';
import type { Settings } from './settings';

function optionsText(o: TcpOptions | undefined): string {
  if (!o) return '';
  const parts: string[] = [];
  if (o.mss !== undefined) parts.push(`MSS ${o.mss}`);
  if (o.windowScale !== undefined) parts.push(`WS ${o.windowScale}`);
  if (o.sackPermitted) parts.push('SACK permitted');
  if (o.sack?.length) parts.push(`SACK ${o.sack.map(([l, r]) => `${l}-${r}`).join(' ')}`);
  if (o.tsval !== undefined) parts.push(`TS ${o.tsval}/${o.tsecr}`);
  return parts.join(', ');
}

/** What the webview needs to draw one connection: view data only, never the capture's bytes. */
export function diagramView(key: string, connection: Connection, settings: Settings, highlight = -1): DiagramView {
  const { budget, relative, msl, timeFormat, words } = settings;
  const pages = sequenceDiagram(connection, { budget, relative, msl, timeFormat, words });
  const { client, server } = connection;
  const segments: SegmentDetail[] = connection.segments.map((s) => ({
    index: s.index, packet: s.packet, from: s.fromClient ? client : server, flags: flagNames(s.flags).join(','),
    seq: s.seq, ack: s.ack, relSeq: s.relSeq, relAck: s.relAck, len: s.len, window: s.windowSize,
    rawWindow: s.window, windowShift: s.windowShift,
    options: optionsText(s.options), analysis: [...s.analysis, ...s.anomalies],
  }));
  const page = highlight >= 0 ? Math.max(0, pages.findIndex((p) => p.firstSegment <= highlight && highlight <= p.lastSegment)) : 0;
  return {
    key,
    title: `#${connection.id} ${client} → ${server}`,
    pages: pages.map((p) => p.text),
    pageStarts: pages.map((p) => p.firstSegment),
    page,
    segments: JSON.stringify(segments),
    highlight,
    theme: settings.theme,
  };
}
