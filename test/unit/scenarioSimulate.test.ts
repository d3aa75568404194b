import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenarioStrict } from '../../src/core/scenario/parse';
import { simulate } from '../../src/core/scenario/simulate';
import { ConnectionTracker } from '../../src/core/tcp/tracker';

/** Simulates, then reads the simulated capture back through the capture path, as the tree and diagrams will. */
function run(text: string, msl = 120) {
  const sim = simulate(parseScenarioStrict(text), { msl });
  const tracker = new ConnectionTracker({ msl, keepSegments: true });
  for (const p of sim.packets) tracker.add(p);
  tracker.finish();
  const truth = (name: string) => sim.truth.get(name)!.map((t) => t.state);
  return { sim, connections: tracker.connections, truth };
}

const head = 'endpoint client 10.0.0.1:41234\nendpoint server 10.0.0.2:80\ndelay 20ms\n';

describe('the scenario simulator', () => {
  it('the classic 3-way handshake and 4-way close, as both endpoints live them and as a capture shows them', () => {
    const { sim, connections, truth } = run(`${head}server listen\nclient connect\nclient send 100\nserver send 200\nclient close\nwait 100ms\nserver close\n`);
    assert.deepEqual(truth('client'), ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    assert.deepEqual(truth('server'), ['CLOSED', 'LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    const flags = sim.packets.map((p) => p.tcp.flags);
    assert.deepEqual(flags.slice(0, 3), [0x02, 0x12, 0x10], 'SYN, SYN-ACK, ACK');
    assert.equal(connections.length, 1);
    const c = connections[0]!;
    // The capture path infers the same states (the server's CLOSED before LISTEN is before the capture).
    assert.deepEqual(c.clientHistory.map((e) => e.state), truth('client'));
    assert.deepEqual(c.serverHistory.map((e) => e.state), truth('server').slice(1));
  });

  it('simultaneous open and simultaneous close: crossing segments', () => {
    const { truth, connections } = run(`${head}client connect & server connect\nwait 100ms\nclient close & server close\n`);
    assert.deepEqual(truth('client'), ['CLOSED', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    assert.deepEqual(truth('server'), truth('client'));
    const c = connections[0]!;
    assert.deepEqual(c.clientHistory.map((e) => e.state), truth('client'));
    assert.deepEqual(c.serverHistory.map((e) => e.state), truth('server'));
  });

  it('a lost SYN is retransmitted after the retransmission timeout', () => {
    const { sim, truth } = run(`${head}server listen\nlose next client SYN\nclient connect\n`);
    const syns = sim.packets.filter((p) => p.tcp.flags === 0x02);
    assert.equal(syns.length, 2);
    assert.ok(Math.abs(syns[1]!.time - syns[0]!.time - 1) < 1e-9, 'one RTO (1 s) later');
    assert.deepEqual(truth('client'), ['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
  });

  it('a refused connection, an abort by RST, and TIME_WAIT ending after 2×MSL', () => {
    assert.deepEqual(run(`${head}client connect\n`).truth('client'), ['CLOSED', 'SYN_SENT', 'CLOSED']);
    const abort = run(`${head}server listen\nclient connect\nclient abort\n`);
    assert.deepEqual(abort.truth('server').slice(-1), ['CLOSED']);
    assert.equal(abort.connections[0]!.outcome, 'reset');
    const timed = run(`${head}server listen\nclient connect\nclient close\nserver close\nwait 2msl\n`, 30);
    assert.deepEqual(timed.truth('client').slice(-2), ['TIME_WAIT', 'CLOSED']);
  });

  it('TIME_WAIT absorbs a retransmitted FIN when the last ACK is lost', () => {
    const { sim, truth } = run(`${head}server listen\nclient connect\nclient close\nwait 100ms\nlose next client ACK\nserver close\nwait 3s\n`);
    const serverFins = sim.packets.filter((p) => p.tcp.srcPort === 80 && p.tcp.flags & 0x01);
    assert.equal(serverFins.length, 2, 'the server sends its FIN again');
    assert.equal(truth('client').at(-1), 'TIME_WAIT');
    assert.equal(truth('server').at(-1), 'CLOSED');
  });

  it('an injected RST outside RCV.NXT gets a challenge ACK and changes nothing (RFC 5961)', () => {
    const { sim, truth } = run(`${head}server listen\nclient connect\ninject server RST seq=+100\n`);
    assert.equal(truth('client').at(-1), 'ESTABLISHED');
    const last = sim.packets.at(-1)!;
    assert.equal(last.tcp.flags, 0x10, 'the client answers with an ACK');
  });
});

describe('properties of the simulator', () => {
  it('random scenarios never throw, make only transitions RFC 9293 allows, and end settled (closed, in TIME_WAIT, or open)', async () => {
    const fc = (await import('fast-check')).default;
    const { isAllowedTransition } = await import('../../src/core/tcp/states');
    const side = fc.constantFrom('client', 'server');
    const line = fc.oneof(
      fc.tuple(side, fc.constantFrom('connect', 'close', 'shutdown', 'abort', 'listen')).map(([s, c]) => `${s} ${c}`),
      fc.tuple(side, fc.integer({ min: 1, max: 5000 })).map(([s, n]) => `${s} send ${n}`),
      fc.tuple(fc.constantFrom('client close & server close', 'client connect & server connect')),
      fc.tuple(fc.constantFrom('lose', 'duplicate', 'reorder'), side).map(([k, s]) => `${k} next ${s}`),
      fc.integer({ min: 1, max: 3000 }).map((ms) => `wait ${ms}ms`),
    ).map((l) => (Array.isArray(l) ? l[0] : l));
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
      const { truth } = run(`${head}${lines.join('\n')}\n`, 5);
      for (const name of ['client', 'server']) {
        const states = truth(name);
        for (let i = 1; i < states.length; i++) assert.ok(isAllowedTransition(states[i - 1]!, states[i]!), `${name}: ${states[i - 1]} → ${states[i]} in\n${lines.join('\n')}`);
        // Nothing is left half-way: a handshake or a close in progress has finished (or been given up).
        const settled = ['CLOSED', 'TIME_WAIT', 'LISTEN', 'ESTABLISHED', 'CLOSE_WAIT', 'FIN_WAIT_2'];
        assert.ok(settled.includes(states.at(-1)!), `${name} ends in ${states.at(-1)} in\n${lines.join('\n')}`);
      }
    }), { numRuns: 400 });
  });
});
