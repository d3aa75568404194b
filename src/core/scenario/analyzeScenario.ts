import type { CaptureAnalysis } from '../analyze';
import { newDecodeStats } from '../decode/packet';
import { ConnectionTracker } from '../tcp/tracker';
import { ScenarioError } from './ast';
import { parseScenario } from './parse';
import { simulate, type Simulation } from './simulate';

/**
 * A scenario as the rest of the tool sees a capture: simulated, then read back through the same connection tracker,
 * so the tree, the diagrams, the JSON and the Mermaid output work unchanged. Mistakes in the text come back in
 * `scenarioErrors` with their positions (and as `errors` at offset 0 for the capture-shaped result).
 */
export function analyzeScenario(text: string, options: { msl?: number } = {}): {
  analysis: CaptureAnalysis;
  simulation: Simulation | undefined;
  scenarioErrors: ScenarioError[];
  title: string | undefined;
} {
  const msl = options.msl ?? 120;
  const { scenario, errors } = parseScenario(text);
  const tracker = new ConnectionTracker({ msl, keepSegments: true });
  let simulation: Simulation | undefined;
  if (errors.length === 0) {
    simulation = simulate(scenario, { msl });
    for (const packet of simulation.packets) tracker.add(packet);
  }
  tracker.finish(simulation?.endTime);
  const times = simulation?.packets.map((p) => p.time) ?? [];
  return {
    analysis: {
      format: undefined,
      compressed: false,
      packets: simulation?.packets.length ?? 0,
      errors: errors.map((e) => ({ offset: 0, message: e.message })),
      notCapture: false,
      cancelled: false,
      decode: newDecodeStats(),
      connections: tracker.connections,
      startTime: times[0] ?? NaN,
      endTime: times.at(-1) ?? NaN,
    },
    simulation,
    scenarioErrors: errors,
    title: scenario.title,
  };
}
