import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ipv4Bytes, ipv6Bytes, ipv6Text } from '../../src/core/decode/address';
import { analyzeScenario } from '../../src/core/scenario/analyzeScenario';
import { parseScenario } from '../../src/core/scenario/parse';
import { simulate } from '../../src/core/scenario/simulate';

const HEAD = 'endpoint a 10.0.0.1:1000\nendpoint b 10.0.0.2:80\nb listen\na connect\n';
const errorsOf = (text: string) => parseScenario(text).errors.map((e) => e.message);

describe('scenarios cannot run for ever', () => {
  it('each hostile scenario found in review ends within the limits, with what it simulated and a message', () => {
    const cases: Array<[string, RegExp]> = [
      // Endpoints that answer each other's unacceptable segments: rate-limited as Linux does, so they fall quiet.
      ['inject a PSH,ACK len=1\ninject b FIN,ACK\n', /^$/],
      // A window that never opens, probed for 31 years: stopped at the time limit.
      ['b pause\na send 200000\nwait 999999999s\n', /^7:1: stopped at 3,600 s of simulated time/],
      // Keep-alives every millisecond for a day: stopped at the packet limit.
      ['a keepalive 1ms\nwait 100000s\n', /^6:1: stopped after 100,000 packets/],
    ];
    for (const [body, expected] of cases) {
      const started = Date.now();
      const result = analyzeScenario(HEAD + body);
      assert.deepEqual(result.scenarioErrors, [], body);
      assert.match(result.analysis.errors.map((e) => e.message).join('\n'), expected, body);
      assert.ok(result.analysis.packets <= 100_000, body);
      assert.ok(result.analysis.connections.length === 1 && result.analysis.connections[0]!.packetCount > 3, `${body}: the partial result`);
      assert.ok(Date.now() - started < 20_000, `${body}: ${Date.now() - started} ms`);
    }
  });

  it('what can never work is a mistake at its line and column, before anything runs', () => {
    assert.deepEqual(errorsOf(`${HEAD}a keepalive 0s\nwait 1s\n`), ['5:13: keepalive needs an idle time of at least 1ms']);
    assert.match(errorsOf(`${HEAD}a send 99999999999\n`)[0]!, /^5:8: at most 50,000,000 bytes in one send/);
    assert.match(errorsOf(`${HEAD}inject a ACK len=70000\n`)[0]!, /^5:\d+: len is a number of bytes, at most 65495/);
    for (const bad of ['999.999.999.999:80', '[1:2]:80', '[1:2:3:4:5:6:7:8:9]:80', '[1::2::3]:80', '[12345::1]:80', '10.0.0.1:70000']) {
      assert.match(errorsOf(`endpoint a ${bad}\nendpoint b\n`)[0]!, /^1:12: ".*" is not an address:port/, bad);
    }
    assert.match(errorsOf('endpoint a 10.0.0.1:1\nendpoint b [2001:db8::2]:80\n')[0]!, /^2:12: "b" and "a" must use the same IP version/);
  });

  it('random scenarios with injected segments, keep-alives, pauses and waits end within their limits', () => {
    const who = fc.constantFrom('a', 'b');
    const line = fc.oneof(
      fc.tuple(who, fc.constantFrom('ACK', 'PSH,ACK', 'FIN,ACK', 'RST', 'SYN', 'SYN,ACK', 'FIN', 'RST,ACK'), fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: 0, max: 3 }))
        .map(([w, flags, seq, ack, len]) => `inject ${w} ${flags} seq=${seq < 0 ? seq : `+${seq}`} ack=${ack < 0 ? ack : `+${ack}`} len=${len}`),
      fc.tuple(who, fc.constantFrom('1ms', '50ms', '1s')).map(([w, d]) => `${w} keepalive ${d}`),
      who.map((w) => `${w} pause`),
      who.map((w) => `${w} resume`),
      fc.tuple(who, fc.integer({ min: 1, max: 100000 })).map(([w, n]) => `${w} send ${n}`),
      fc.constantFrom('wait 10ms', 'wait 1s', 'wait 90s', 'wait 2msl', 'wait 99999s'),
      who.map((w) => `${w} close`),
    );
    fc.assert(fc.property(fc.array(line, { maxLength: 9 }), (lines) => {
      const scenario = parseScenario(`${HEAD}${lines.join('\n')}\n`).scenario;
      const simulation = simulate(scenario, { maxPackets: 3000, maxTime: 600 });
      assert.ok(simulation.wire.length <= 3000, `${simulation.wire.length} packets`);
      assert.ok(simulation.endTime <= 600, `simulated until ${simulation.endTime} s`);
    }), { numRuns: 150, seed: 11 });
  });
});

describe('scenario addresses', () => {
  it('are read as RFC 4291 writes them (IPv4 in the last 32 bits among them) and written back in RFC 5952 form', () => {
    assert.deepEqual(ipv4Bytes('10.0.0.255'), [10, 0, 0, 255]);
    assert.equal(ipv4Bytes('256.0.0.1'), undefined);
    const text = (s: string) => ipv6Text(Uint8Array.from(ipv6Bytes(s)!), 0);
    assert.equal(text('::ffff:1.2.3.4'), '::ffff:1.2.3.4');
    assert.equal(text('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(text('1:2:3:4:5:6:7:8'), '1:2:3:4:5:6:7:8');
    assert.equal(text('::'), '::');
    assert.equal(ipv6Bytes('1:2'), undefined);
    assert.equal(ipv6Bytes('1:2:3:4:5:6:7:8:9'), undefined);
  });

  it('an endpoint without an address takes the IP version of the other: one connection, not two', () => {
    const { analysis } = analyzeScenario('endpoint a [2001:db8::10]:1000\nendpoint b\nb listen\na connect\n');
    assert.equal(analysis.connections.length, 1);
    assert.equal(analysis.connections[0]!.server, '[2001:db8::2]:80');
    assert.equal(analysis.connections[0]!.states.client, 'ESTABLISHED');
  });
});
