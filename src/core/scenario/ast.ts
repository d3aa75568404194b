import type { ProfileName } from './profiles';

/** A scenario file, parsed: who takes part and what happens, in order. Positions are 1-based. */

export interface Position {
  line: number;
  column: number;
}

export interface EndpointDecl {
  name: string;
  address: string | undefined;
  port: number | undefined;
  /** Whose TCP this endpoint is (`endpoint server 10.0.0.2:80 windows`), over the scenario's and the run's. */
  profile?: ProfileName | undefined;
  at: Position;
}

export type AppCall =
  | { kind: 'listen' }
  | { kind: 'connect' }
  | { kind: 'send'; bytes: number }
  | { kind: 'shutdown' }
  | { kind: 'close' }
  /** Closes as soon as the peer's FIN arrives (`close on FIN`), so the FIN rides on the ACK: a 3-segment close. */
  | { kind: 'closeOnFin' }
  /** Sends keep-alive probes after this long without hearing from the peer (`keepalive 1s`). */
  | { kind: 'keepalive'; seconds: number }
  /** The application stops reading: received data fills the window until it is zero (`pause`), then reads it all (`resume`). */
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'abort' };

/** A number, or a value relative to the sender's SND.NXT (seq) or RCV.NXT (ack), written `+n` / `-n`. */
export type SeqValue = { absolute: number } | { relative: number };

export type Step =
  | { kind: 'app'; endpoint: string; call: AppCall; at: Position }
  /** Several calls at the same instant (`a close & b close`): their segments cross in flight. */
  | { kind: 'together'; steps: Array<Extract<Step, { kind: 'app' }>>; at: Position }
  | { kind: 'delay'; from: string | undefined; to: string | undefined; seconds: number; at: Position }
  | { kind: 'lose' | 'duplicate' | 'reorder'; from: string; flags: string[]; at: Position }
  | { kind: 'wait'; seconds: number | 'msl2'; at: Position }
  | { kind: 'inject'; from: string; flags: string[]; seq: SeqValue | undefined; ack: SeqValue | undefined; len: number; at: Position };

export interface Scenario {
  title: string | undefined;
  /** Whose TCP both endpoints are (`profile linux`), unless an endpoint says its own. */
  profile?: ProfileName | undefined;
  endpoints: EndpointDecl[];
  steps: Step[];
}

export class ScenarioError extends Error {
  /** `detail` is the message without its position, for editors that show the position themselves. */
  constructor(readonly at: Position, readonly detail: string) {
    super(`${at.line}:${at.column}: ${detail}`);
  }
}
