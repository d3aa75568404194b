import type { ReportHead } from '../../core/report/textReport';
import type { AnalysisFlag, HistoryEntry } from '../../core/tcp/segment';
import type { TcpState } from '../../core/tcp/states';
import type { DiagramView } from '../../shared/protocol';
import type { Settings } from '../settings';

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
  /** A scenario's title. */
  title?: string | undefined;
}

export type ToWorker =
  | { type: 'open'; path: string; msl: number }
  | { type: 'openBytes'; bytes: Uint8Array; msl: number }
  /** A scenario to simulate (bounded by the simulator's limits); `title` replaces its own (a lesson's, translated). */
  | { type: 'simulate'; text: string; msl: number; title: string | undefined }
  | { type: 'diagram'; request: number; key: string; id: number; settings: Settings }
  | { type: 'histories'; request: number; id: number }
  /** The host has taken in a batch of connections that asked for it: the next may come. */
  | { type: 'ack' }
  | { type: 'cancel' };

/** Both endpoints' state histories of one connection. */
export interface Histories {
  client: HistoryEntry[];
  server: HistoryEntry[];
}

export type FromWorker =
  /** `ack`: answer with an `ack` once taken in (the worker waits for it before the next batch). */
  | { type: 'connections'; items: ConnectionSummary[]; ack: boolean }
  | { type: 'progress'; bytes: number }
  | { type: 'done'; head: ReportHead; notCapture: boolean }
  | { type: 'diagram'; request: number; view?: DiagramView; error?: string }
  | { type: 'histories'; request: number; histories?: Histories; error?: string }
  | { type: 'failed'; message: string };
