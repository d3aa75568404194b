import type { PanelWords } from './panelWords';
/** The typed messages between the extension host and the diagram webview. Both sides import this file. */

/** A segment's details, for the hover card in the diagram. */
export interface SegmentDetail {
  index: number;
  packet: number;
  from: string;
  flags: string;
  seq: number;
  ack: number;
  relSeq: number;
  relAck: number;
  len: number;
  /** The window in bytes, and the raw field with the shift that scales it (-1 unknown, -2 not agreed). */
  window: number;
  rawWindow: number;
  windowShift: number;
  options: string;
  /** The layers it was found inside ("VLAN 7 / PPPoE session 0x1234"), when not plain IP. */
  via?: string;
  analysis: string[];
  /** The segment as a step: both endpoints' states after it, which it changed, and why, in words. */
  step?: { client: string; server: string; changed: Array<'client' | 'server'>; text: string };
}

/** A message shown in the panel, above the diagram: what went wrong reading a file or simulating a scenario. */
export interface Notice {
  kind: 'error' | 'warning' | 'info';
  text: string;
  /** A file that is not a capture: the URI to open as text. */
  openAsText?: string | undefined;
}

export interface DiagramView {
  /** Which source and connection, as the tree names them. */
  key: string;
  title: string;
  /** The page on screen (from 0) of how many, and its Mermaid text: the other pages stay where the diagram was made. */
  page: number;
  pageCount: number;
  text: string;
  /** How many segments the connection has (its steps), on every page. */
  segmentCount: number;
  /** The first segment index on each page (-1 for a page without one), to turn to the page of a segment. */
  pageStarts: number[];
  /**
   * The details of this page's segments (SegmentDetail[]) as JSON text: made in the worker, parsed in the page, carried
   * by the host without taking it apart.
   */
  segments: string;
  /** For each note on the page, in the order drawn: the segment that caused the state change it shows, or -1. */
  noteCauses: number[];
  /** For each note on the page: the first and last segment it stands for (a summary of segments not drawn), or null. */
  noteSpans: Array<[number, number] | null>;
  /** A segment to highlight (selected in the tree), or -1. */
  highlight: number;
  /** Opened by a link to a step: step mode starts at `highlight`. */
  stepping?: boolean | undefined;
  /** Drawn while its capture was still being read (drawn again once it is). */
  partial?: boolean | undefined;
  /** 'auto' follows VS Code's theme. */
  theme: 'auto' | 'default' | 'dark' | 'forest' | 'neutral';
  /** In the capture editor: every connection of the file, to choose from. */
  choices?: Array<{ key: string; label: string }>;
  /** A lesson's explanation, in the user's language, shown in full above its diagram. */
  explanation?: string | undefined;
  /** A lesson's note on where operating systems tell it otherwise, shown after its explanation. */
  osNote?: string | undefined;
  /** What reading the file found wrong (a damaged capture, a scenario stopped by a limit), shown above the diagram. */
  notice?: Notice | undefined;
  /** A scenario's: it can be played under other profiles and compared (the panel offers it). */
  comparable?: boolean | undefined;
  /** The same page as two profiles play it, drawn side by side instead of the diagram (left, then right). */
  compare?: { columns: Array<{ label: string; text: string }> } | undefined;
  /** What each state means, in the user's language: shown on hover over a state note. */
  stateHelp?: Record<string, string>;
  /** The panel's own phrases in the user's language (English when absent). */
  words?: PanelWords;
  /** The names of the phases state notes are coloured by (opening, established, closing, waiting, closed), for the legend. */
  phaseNames?: Record<string, string>;
}

export type ToWebview =
  | { type: 'show'; view: DiagramView }
  | { type: 'highlight'; segment: number }
  /**
   * A message instead of a diagram, or (`outdated`) above the one on show: a scenario being typed whose last good
   * diagram stays, marked out of date.
   */
  | { type: 'notice'; notice: Notice; outdated: boolean }
  /** New entries for the capture editor's chooser (a search's). */
  | { type: 'choices'; choices: NonNullable<DiagramView['choices']> }
  /** Draw these pages' Mermaid text for export. */
  | { type: 'export'; format: 'svg' | 'png'; pages: string[] };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'rendered'; page: number; messages: number; notes: number; columns?: Array<{ label: string; messages: number; notes: number }> }
  /** The panel's Compare button, and its way back to one diagram. */
  | { type: 'compare' }
  | { type: 'leaveCompare' }
  | { type: 'segmentClicked'; segment: number }
  /** Step mode shows segment `segment`'s step (as the counter says). */
  | { type: 'stepped'; segment: number; counter: string }
  | { type: 'choose'; key: string }
  /** The capture editor's search: the connections whose text holds every word. */
  | { type: 'find'; text: string }
  | { type: 'openAsText'; uri: string }
  /** A notice is on screen (and whether a diagram is drawn below it). */
  | { type: 'noticeShown'; text: string; diagram: boolean }
  /** Show page `page` (from 0), or the page holding segment `highlight`, highlighted. */
  | { type: 'turn'; page: number; highlight: number }
  /** One SVG text or PNG data URL per page asked for, or why they could not be drawn. */
  | { type: 'exported'; format: 'svg' | 'png'; data?: string[]; error?: string }
  | { type: 'error'; message: string };
