import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenario, parseScenarioStrict } from '../../src/core/scenario/parse';

const errorsOf = (text: string) => parseScenario(text).errors.map((e) => [e.at.line, e.at.column, e.detail]);

describe('the scenario language', () => {
  it('reads endpoints, application calls, network events, time and injected segments', () => {
    const s = parseScenarioStrict(`title Simultaneous close, then a late RST
# the two sides
endpoint client [2001:db8::1]:41234   # IPv6 works too (both endpoints of one version)
endpoint server [2001:db8::2]:80
delay 20ms
delay client -> server 5ms
server listen
client connect
client send 1000
lose next server ACK
client close & server close
wait 2msl
wait 1.5s
duplicate next client
reorder next server
inject server RST,ACK seq=+100 ack=-1 len=0
inject client SYN seq=123
`);
    assert.equal(s.title, 'Simultaneous close, then a late RST');
    assert.deepEqual(s.endpoints.map((e) => [e.name, e.address, e.port]), [['client', '2001:db8::1', 41234], ['server', '2001:db8::2', 80]]);
    const kinds = s.steps.map((step) => step.kind);
    assert.deepEqual(kinds, ['delay', 'delay', 'app', 'app', 'app', 'lose', 'together', 'wait', 'wait', 'duplicate', 'reorder', 'inject', 'inject']);
    assert.deepEqual(s.steps[1], { kind: 'delay', from: 'client', to: 'server', seconds: 0.005, at: { line: 6, column: 1 } });
    assert.deepEqual(s.steps[4], { kind: 'app', endpoint: 'client', call: { kind: 'send', bytes: 1000 }, at: { line: 9, column: 1 } });
    assert.deepEqual(s.steps[5], { kind: 'lose', from: 'server', flags: ['ACK'], at: { line: 10, column: 1 } });
    const together = s.steps[6];
    assert.ok(together?.kind === 'together');
    assert.deepEqual(together.steps.map((t) => [t.endpoint, t.call.kind, t.at.column]), [['client', 'close', 1], ['server', 'close', 16]]);
    assert.deepEqual(s.steps[7], { kind: 'wait', seconds: 'msl2', at: { line: 12, column: 1 } });
    assert.deepEqual(s.steps[11], { kind: 'inject', from: 'server', flags: ['RST', 'ACK'], seq: { relative: 100 }, ack: { relative: -1 }, len: 0, at: { line: 16, column: 1 } });
    assert.deepEqual(s.steps[12], { kind: 'inject', from: 'client', flags: ['SYN'], seq: { absolute: 123 }, ack: undefined, len: 0, at: { line: 17, column: 1 } });
  });

  it('names each mistake with its line and column', () => {
    const head = 'endpoint a\nendpoint b\n';
    assert.deepEqual(errorsOf(`${head}a connect\nc close`), [[4, 1, '"c" is neither a statement (endpoint, delay, wait, lose, duplicate, reorder, inject) nor a declared endpoint']]);
    assert.deepEqual(errorsOf(`${head}a jump`), [[3, 3, 'what does a do? (listen, connect, send <bytes>, shutdown, close, abort, keepalive <idle>, pause, resume)']]);
    assert.deepEqual(errorsOf(`${head}a send`), [[3, 7, 'send needs a positive number of bytes']]);
    assert.deepEqual(errorsOf(`${head}a send 0`), [[3, 8, 'send needs a positive number of bytes']]);
    assert.deepEqual(errorsOf(`${head}delay 20`), [[3, 7, '"20" is not a duration (e.g. 20ms, 1s)']]);
    assert.deepEqual(errorsOf(`${head}wait soon`), [[3, 6, '"soon" is not a duration (e.g. 20ms, 1s, 2msl)']]);
    assert.deepEqual(errorsOf(`${head}lose a`), [[3, 6, 'write "lose next <endpoint> [FLAGS]"']]);
    assert.deepEqual(errorsOf(`${head}lose next a SIN`), [[3, 13, '"SIN" is not a TCP flag (SYN, ACK, FIN, RST, PSH, URG, ECE, CWR)']]);
    assert.deepEqual(errorsOf(`${head}inject a RST seq=x1`), [[3, 18, '"x1" is not a sequence number: write a number, or +n / -n relative to the next one']]);
    assert.deepEqual(errorsOf(`${head}inject a RST window=3`), [[3, 14, '"window=3" is not seq=…, ack=… or len=…']]);
    assert.deepEqual(errorsOf(`${head}a close extra`), [[3, 9, 'write "close" or "close on FIN"']]);
    assert.deepEqual(errorsOf(`${head}a close on FIN now`), [[3, 16, 'unexpected "now"']]);
    assert.deepEqual(errorsOf(`${head}a keepalive`), [[3, 12, 'a duration is missing (e.g. 20ms, 1s)']]);
    assert.deepEqual(errorsOf('endpoint a 10.0.0.1\nendpoint b'), [[1, 12, '"10.0.0.1" is not an address:port (10.0.0.1:80 or [2001:db8::1]:80) or a profile (rfc, linux, windows, macos)']]);
    assert.deepEqual(errorsOf('endpoint a\nendpoint a'), [[2, 10, 'endpoint "a" is declared twice']]);
    assert.deepEqual(errorsOf('endpoint wait'), [[1, 10, '"wait" is a statement, not a name']]);
    assert.deepEqual(errorsOf('endpoint a'), [[1, 1, 'a scenario declares two endpoints ("endpoint client", "endpoint server"); this one declares 1']]);
  });

  it('reports every mistake at once (for diagnostics as you type), and strict parsing throws the first', () => {
    const text = 'endpoint a\nendpoint b\na jump\nb send x\nwait';
    assert.deepEqual(errorsOf(text).map(([l, c]) => [l, c]), [[3, 3], [4, 8], [5, 5]]);
    assert.throws(() => parseScenarioStrict(text), /^Error: 3:3: what does a do/);
  });
});
