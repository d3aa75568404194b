import type { ReportHead } from '../../core/report/textReport';
import type { AnalysisFlag, HistoryEntry } from '../../core/tcp/segment';
import type { TcpState } from '../../core/tcp/states';
import type { DiagramView } from '../../shared/protocol';
import type { ProfileName } from '../../core/scenario/profiles';
import type { Settings } from '../settings';
import type { ViewGroup, ViewOptions } from './connectionView';

/**
 * What the tree shows of a connection: plain data, made in the worker that reads the capture. Its state histories stay
 * in the worker until an endpoint is expanded (a capture of a million connections would fill the host's memory).
 */
export interface ConnectionSummary {
  id: number;
  client: string;
  server: string;
  outcome: string;
  midstream: boolean;
  packets: number;
  duration: number;
  firstTime: number;
  states: { client: TcpState; server: TcpState };
  analysisCounts: Partial<Record<AnalysisFlag, number>>;
  /** Segments that contradict the model (sent in a state that allows no such segment, and the like). */
  anomalies: number;
  /** Packets and payload bytes each way, and the handshake's round trip in seconds (when the handshake was seen). */
  toServer: { packets: number; bytes: number };
  toClient: { packets: number; bytes: number };
  handshakeRtt: number | undefined;
  /** A scenario's title. */
  title?: string | undefined;
  /** Its row in the tree's view, or −1 where the filter leaves it out. */
  row: number;
  /** The layers it was found inside ("VLAN 7 / PPPoE session 0x1234"), when not plain IP. */
  via?: string;
}

export type ToWorker =
  | { type: 'open'; path: string; msl: number }
  | { type: 'openBytes'; bytes: Uint8Array; msl: number }
  /** A scenario to simulate (bounded by the simulator's limits); `title` replaces its own (a lesson's, translated). */
  | { type: 'simulate'; text: string; msl: number; profile: ProfileName; title: string | undefined }
  /** The page `page` (from 0) of a connection's diagram, or the page holding segment `highlight` (-1: none). */
  | { type: 'diagram'; request: number; key: string; id: number; settings: Settings; page: number; highlight: number; packet?: number }
  /**
   * The scenario simulated last, played again under `profile` (over the file's own `profile` line): page `page` of
   * connection `id`'s diagram, for a comparison side by side.
   */
  | { type: 'compare'; request: number; id: number; profile: ProfileName; settings: Settings; page: number }
  /** Every page's Mermaid text (for exports). */
  | { type: 'pages'; request: number; key: string; id: number; settings: Settings }
  | { type: 'histories'; request: number; id: number }
  /** A simulated scenario's segments as a pcapng that states the simulation's end (a capture cannot be asked). */
  | { type: 'capture'; request: number }
  /**
   * The summaries of `count` connections from index `first` (ids count from 1, indexes from 0): in the order found, or
   * (`inView`) from row `first` of the tree's view.
   */
  | { type: 'rows'; request: number; first: number; count: number; inView: boolean }
  /** The first `most` connections (in the order found) that hold every word of `filter` (answered by `rows`). */
  | { type: 'find'; request: number; filter: string; most: number }
  /** The tree's view from now on: filter, order, groups (answered by `found`). */
  | { type: 'view'; options: ViewOptions }
  | { type: 'cancel' };

/** Both endpoints' state histories of one connection. */
export interface Histories {
  client: HistoryEntry[];
  server: HistoryEntry[];
}

export type FromWorker =
  /**
   * How many connections have been found so far (`total`) and how many of them are in the view (`count`), and its
   * groups; those told before may have changed.
   */
  | { type: 'found'; count: number; total: number; groups: ViewGroup[] }
  | { type: 'rows'; request: number; items?: ConnectionSummary[]; error?: string }
  | { type: 'progress'; bytes: number }
  | { type: 'done'; head: ReportHead; notCapture: boolean }
  | { type: 'diagram'; request: number; view?: DiagramView; error?: string }
  | { type: 'pages'; request: number; pages?: string[]; error?: string }
  | { type: 'compare'; request: number; text?: string; page?: number; pageCount?: number; error?: string }
  | { type: 'histories'; request: number; histories?: Histories; error?: string }
  | { type: 'capture'; request: number; bytes?: Uint8Array; error?: string }
  | { type: 'failed'; message: string }
  /** A Web Worker has started (the host holds its messages until then, and reads on its own thread if none comes). */
  | { type: 'ready' };
