import type { CaptureAnalysis } from '../analyze';
import { newDecodeStats } from '../decode/packet';
import type { Connection } from '../tcp/connection';
import type { HistoryEntry } from '../tcp/segment';
import { ConnectionTracker } from '../tcp/tracker';
import { ScenarioError } from './ast';
import { parseScenario } from './parse';
import { simulate, type Simulation, type TrueTransition, type WirePacket } from './simulate';
import type { ProfileName } from './profiles';

/**
 * A scenario as the rest of the tool sees a capture: simulated, then read through the same connection tracker, so the
 * tree, the diagrams, the JSON and the Mermaid output work unchanged. What the tracker sees is every segment on the
 * wire (lost ones too), and each connection then takes the simulator's own truth: its histories, with each change at
 * the segment that caused it and the time it happened, and the segments that were lost. Mistakes in the text come back
 * in `scenarioErrors` with their positions (and as `errors` at offset 0 for the capture-shaped result).
 */
export function analyzeScenario(text: string, options: {
  msl?: number; maxPackets?: number; profile?: ProfileName;
  /** The run's profile wins over the scenario's `profile` line (an endpoint's own still wins): for comparisons. */
  profileOverScenario?: boolean;
} = {}): {
  analysis: CaptureAnalysis;
  simulation: Simulation | undefined;
  scenarioErrors: ScenarioError[];
  /** Where a limit stopped the simulation (what it has is shown up to there). */
  stopped: ScenarioError | undefined;
  title: string | undefined;
} {
  const msl = options.msl ?? 120;
  const { scenario, errors } = parseScenario(text);
  const tracker = new ConnectionTracker({ msl, keepSegments: true });
  let simulation: Simulation | undefined;
  if (errors.length === 0) {
    simulation = simulate(scenario, {
      msl, ...(options.maxPackets === undefined ? {} : { maxPackets: options.maxPackets }), ...(options.profile ? { profile: options.profile } : {}),
      profileOverScenario: options.profileOverScenario ?? false,
    });
    const placed = new Map<WirePacket, Placed>();
    for (const w of simulation.wire) {
      const connection = tracker.add(w.packet);
      placed.set(w, { connection, index: connection.packetCount - 1 });
    }
    tracker.finish(simulation.endTime);
    const names = scenario.endpoints.map((e) => e.name);
    adoptTruth(simulation, names, placed, scenario.title);
  }
  const times = simulation?.packets.map((p) => p.time) ?? [];
  const stopped = simulation?.stopped && new ScenarioError(simulation.stopped.at, simulation.stopped.message);
  return {
    analysis: {
      format: undefined,
      compressed: false,
      packets: simulation?.wire.length ?? 0,
      errors: [...errors, ...(stopped ? [stopped] : [])].map((e) => ({ offset: 0, message: e.message })),
      notCapture: false,
      cancelled: false,
      decode: newDecodeStats(),
      connections: tracker.connections,
      startTime: times[0] ?? NaN,
      endTime: times.at(-1) ?? NaN,
    },
    simulation,
    scenarioErrors: errors,
    stopped,
    title: scenario.title,
  };
}

interface Placed {
  connection: Connection;
  index: number;
}

/** Gives each connection its endpoints' true histories (split by connection where an endpoint opens several). */
function adoptTruth(simulation: Simulation, names: string[], placed: Map<WirePacket, Placed>, title: string | undefined): void {
  const byConnection = new Map<Connection, WirePacket[]>();
  for (const w of simulation.wire) {
    const { connection } = placed.get(w)!;
    if (!byConnection.has(connection)) byConnection.set(connection, []);
    byConnection.get(connection)!.push(w);
  }
  const connections = [...byConnection.keys()];
  const histories = new Map<Connection, HistoryEntry[][]>(connections.map((c) => [c, [[], []]]));
  for (const endpoint of [0, 1] as const) {
    const truth = simulation.truth.get(names[endpoint]!)!;
    // Changes without a segment (listen, timers) belong with the connection of the endpoint's next caused change, or
    // of its last one.
    let pending: TrueTransition[] = [];
    let current: Connection | undefined;
    let state = truth[0]!;
    const assign = (connection: Connection, transition: TrueTransition) => {
      const list = histories.get(connection)![endpoint]!;
      if (list.length === 0) list.push(initialEntry(state, connection === connections[0]));
      list.push(entryOf(transition, endpoint, byConnection.get(connection)!, placed));
      state = transition;
    };
    for (const transition of truth.slice(1)) {
      if (!transition.cause) {
        pending.push(transition);
        continue;
      }
      current = placed.get(transition.cause)!.connection;
      for (const p of pending) assign(current, p);
      pending = [];
      assign(current, transition);
    }
    current ??= connections[0];
    if (current) for (const p of pending) assign(current, p);
    for (const connection of connections) {
      const list = histories.get(connection)![endpoint]!;
      if (list.length === 0) list.push(initialEntry(state, connection === connections[0]));
    }
  }
  for (const connection of connections) {
    const first = byConnection.get(connection)![0]!;
    const clientIndex = connection.segments[0]!.fromClient ? first.from : 1 - first.from;
    const [a, b] = histories.get(connection)!;
    connection.adoptScenario({
      clientHistory: clientIndex === 0 ? a! : b!,
      serverHistory: clientIndex === 0 ? b! : a!,
      clientName: names[clientIndex]!,
      serverName: names[1 - clientIndex]!,
      title,
      lost: new Set(byConnection.get(connection)!.flatMap((w) => (w.lost ? [placed.get(w)!.index] : []))),
    });
  }
}

/** The state an endpoint was in when a connection began. */
function initialEntry(state: TrueTransition, first: boolean): HistoryEntry {
  const reason = first && state.reason === 'start' ? 'no connection yet' : state.reason;
  return { state: state.state, packet: null, time: null, segment: null, after: -1, reason };
}

/**
 * A true transition as a history entry of `endpoint` in a connection whose wire packets are `wire`: its cause, and for
 * a change on arrival the last segment the endpoint had sent before it, which crossed the cause in flight if it came
 * after it.
 */
function entryOf(t: TrueTransition, endpoint: 0 | 1, wire: WirePacket[], placed: Map<WirePacket, Placed>): HistoryEntry {
  const cause = t.cause && placed.get(t.cause);
  let after: number;
  if (!t.cause || !cause) {
    after = -1;
    for (const w of wire) if (w.packet.time < t.time || (w.packet.time === t.time && w.step < t.step)) after = placed.get(w)!.index;
  } else if (t.cause.from === endpoint) {
    after = cause.index;
  } else {
    after = cause.index;
    for (const w of wire) if (w.from === endpoint && w.sentAt < t.time) after = Math.max(after, placed.get(w)!.index);
  }
  return {
    state: t.state, packet: t.cause ? t.cause.packet.packet : null, time: t.time, segment: cause ? cause.index : null,
    after, reason: t.reason,
  };
}
