import { flagNames, type TcpOptions } from '../core/decode/tcpHeader';
import { sequenceDiagram, type DiagramPage } from '../core/diagram/sequenceDiagram';
import { stepExplainer, type Step } from '../core/explain/stepExplanation';
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

/**
 * One connection's diagram, whole: every page and every segment's details. It stays where it was made (the worker);
 * the panel is sent one page of it at a time (a long connection's every page and segment at once held the host's
 * thread a second in postMessage).
 */
export interface Drawing {
  key: string;
  title: string;
  theme: Settings['theme'];
  pages: DiagramPage[];
  /** By segment index. */
  segments: SegmentDetail[];
  /** Drawn while its capture was still being read: what was known then. */
  partial?: boolean;
  /** Each segment as a step, explained (made for the page sent). */
  step: (index: number) => Step;
}

/**
 * `brokenOff` is why a damaged capture could not be read further, `compact` labels for a comparison (see DiagramOptions).
 */
export function drawing(key: string, connection: Connection, settings: Settings, brokenOff?: string, compact = false): Drawing {
  const { budget, relative, msl, timeFormat, words } = settings;
  const { client, server } = connection;
  return {
    key,
    // A lesson is named by its title; a capture's connection by its number and endpoints.
    title: connection.title ?? `#${connection.id} ${client} → ${server}`,
    theme: settings.theme,
    pages: sequenceDiagram(connection, { budget, relative, msl, timeFormat, words, brokenOff, compact }),
    step: stepExplainer(connection, settings.stepWords),
    segments: connection.segments.map((s) => ({
      index: s.index, packet: s.packet, from: s.fromClient ? client : server, flags: flagNames(s.flags).join(','),
      seq: s.seq, ack: s.ack, relSeq: s.relSeq, relAck: s.relAck, len: s.len, window: s.windowSize,
      rawWindow: s.window, windowShift: s.windowShift,
      options: optionsText(s.options), analysis: [...s.analysis, ...s.anomalies], ...(s.via ? { via: s.via } : {}),
    })),
  };
}

/** What the panel needs to show one page: the page holding `highlight` if one is given, else page `page` (from 0). */
export function pageView(d: Drawing, page: number, highlight = -1): DiagramView {
  const holding = highlight >= 0 ? d.pages.findIndex((p) => p.firstSegment <= highlight && highlight <= p.lastSegment) : -1;
  const shown = holding >= 0 ? holding : Math.min(Math.max(0, Math.trunc(page) || 0), d.pages.length - 1);
  const { text, firstSegment, lastSegment, noteCauses, noteSpans } = d.pages[shown]!;
  return {
    key: d.key,
    title: d.title,
    text,
    page: shown,
    pageCount: d.pages.length,
    pageStarts: d.pages.map((p) => p.firstSegment),
    segments: JSON.stringify(firstSegment >= 0 ? d.segments.slice(firstSegment, lastSegment + 1).map((s) => ({ ...s, step: d.step(s.index) })) : []),
    segmentCount: d.segments.length,
    noteCauses,
    noteSpans,
    highlight,
    theme: d.theme,
    partial: d.partial,
  };
}
