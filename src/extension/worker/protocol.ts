import type { ReportHead } from '../../core/report/textReport';
import type { AnalysisFlag, HistoryEntry } from '../../core/tcp/segment';
import type { TcpState } from '../../core/tcp/states';
import type { DiagramView } from '../../shared/protocol';
import type { Settings } from '../settings';

/** What the tree shows of a connection: plain data, made in the worker that reads the capture. */
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
  clientHistory: HistoryEntry[];
  serverHistory: HistoryEntry[];
  /** A scenario's title. */
  title?: string | undefined;
}

export type ToWorker =
  | { type: 'open'; path: string; msl: number }
  | { type: 'openBytes'; bytes: Uint8Array; msl: number }
  /** A scenario to simulate (bounded by the simulator's limits); `title` replaces its own (a lesson's, translated). */
  | { type: 'simulate'; text: string; msl: number; title: string | undefined }
  | { type: 'diagram'; request: number; key: string; id: number; settings: Settings }
  | { type: 'cancel' };

export type FromWorker =
  | { type: 'connections'; items: ConnectionSummary[] }
  | { type: 'progress'; bytes: number }
  | { type: 'done'; head: ReportHead; notCapture: boolean }
  | { type: 'diagram'; request: number; view?: DiagramView; error?: string }
  | { type: 'failed'; message: string };
