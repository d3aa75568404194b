import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LINUX_FIXTURES, ROOT } from '../support/files';

const CLI = join(ROOT, 'dist', 'cli', 'tcpviz.js');
const tcpviz = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30000, maxBuffer: 1 << 28 });
const fixture = (name: string) => join(LINUX_FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'tcpviz-cli-'));

describe('the tcpviz command (built bundle)', () => {
  it('prints a table of connections with outcomes and final states', () => {
    const run = tcpviz(fixture('interleaved.pcap'));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /12 TCP connections/);
    assert.match(run.stdout, /complete\s+(TIME_WAIT|CLOSED)\s+(TIME_WAIT|CLOSED)/);
    assert.match(run.stdout, /Linux holds it 60 s/);
  });

  it('writes the JSON contract', () => {
    const run = tcpviz(fixture('client_close.pcapng'), '--format', 'json');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.format, 'pcapng');
    assert.equal(report.packets, 11);
    assert.deepEqual(report.errors, []);
    const [c] = report.connections;
    assert.equal(c.id, 1);
    assert.equal(c.client, '10.77.0.1:40001');
    assert.equal(c.server, '10.77.0.2:8080');
    assert.equal(c.midstream, false);
    assert.equal(c.outcome, 'complete');
    assert.deepEqual(c.segments[0].flags, ['SYN']);
    assert.equal(c.segments[0].packet, 1);
    assert.equal(c.segments[0].from, '10.77.0.1:40001');
    assert.equal(typeof c.segments[0].seq, 'number');
    assert.deepEqual(c.history['10.77.0.1:40001'][0], { state: 'CLOSED', packet: null, time: null, reason: 'no connection yet' });
    assert.equal(c.history['10.77.0.1:40001'][1].state, 'SYN_SENT');
    assert.equal(c.history['10.77.0.1:40001'][1].packet, 1);
    assert.equal(c.history['10.77.0.1:40001'][1].time, c.segments[0].time);
    assert.equal(c.history['10.77.0.2:8080'].at(-1).state, 'CLOSED');
  });

  it('--no-segments leaves out the segment arrays; --connection picks one', () => {
    const run = tcpviz(fixture('interleaved.pcap'), '--format', 'json', '--no-segments', '--connection', '3');
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.connections.length, 1);
    assert.equal(report.connections[0].id, 3);
    assert.equal(report.connections[0].segments, undefined);
    assert.ok(report.connections[0].history);
  });

  it('--format mermaid with --connection and --page prints one diagram', () => {
    const run = tcpviz(fixture('interleaved.pcap'), '--format', 'mermaid', '--connection', '2', '--page', '1');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.match(/^sequenceDiagram$/gm)?.length, 1);
    const all = tcpviz(fixture('interleaved.pcap'), '--format', 'mermaid');
    assert.equal(all.stdout.match(/^sequenceDiagram$/gm)?.length, 12);
    const paged = tcpviz(fixture('zero_window.pcap'), '--format', 'mermaid', '--budget', '50');
    assert.ok((paged.stdout.match(/^sequenceDiagram$/gm)?.length ?? 0) > 2);
    assert.match(paged.stdout, /page 2 of/);
    const delta = tcpviz(fixture('refused.pcap'), '--format', 'mermaid', '--time', 'delta', '--raw-seq');
    assert.match(delta.stdout, /#35;2 Δ0\.\d{6}s RST,ACK seq=0 ack=\d{6,}/);
    assert.equal(tcpviz(fixture('refused.pcap'), '--time', 'soon').status, 1);
  });

  it('--format markdown writes one document: a heading and summary per connection, a mermaid block per page', () => {
    const run = tcpviz(fixture('interleaved.pcap'), '--format', 'markdown');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^# interleaved\.pcap\n\n## Connection 1: 10\.77\.0\.1:\d+ → 10\.77\.0\.2:8087\n\ncomplete: 13 packets, /);
    assert.equal(run.stdout.match(/^## Connection \d+/gm)?.length, 12);
    assert.equal(run.stdout.match(/^```mermaid\nsequenceDiagram$/gm)?.length, 12);
    const paged = tcpviz(fixture('zero_window.pcap'), '--format', 'markdown', '--budget', '50');
    const pages = paged.stdout.match(/^### Page (\d+) of (\d+)$/gm) ?? [];
    assert.ok(pages.length > 2);
    assert.equal(paged.stdout.match(/^```mermaid$/gm)?.length, pages.length, 'one block per page');
    const lesson = tcpviz('--scenario', 'four-way-close', '--format', 'markdown');
    assert.match(lesson.stdout, /^## The graceful 4-way close \(Connection 1: 10\.0\.0\.1:41234 → 10\.0\.0\.2:80\)$/m);
    assert.equal(tcpviz(fixture('refused.pcap'), '--format', 'markdown', '--page', '9').status, 1);
  });

  it('--profile plays a lesson as an operating system does: its TIME_WAIT in the diagram', () => {
    const linux = tcpviz('--scenario', 'four-way-close', '--profile', 'linux', '--format', 'mermaid');
    assert.equal(linux.status, 0, linux.stderr);
    assert.match(linux.stdout, /TIME_WAIT \(Linux: 60 s\)/);
    assert.match(linux.stdout, /CLOSED \(TIME_WAIT over at \+60\.\d+s\)/);
    const rfc = tcpviz('--scenario', 'four-way-close', '--format', 'mermaid');
    assert.match(rfc.stdout, /TIME_WAIT \(2×MSL = 240 s#59; Linux: 60 s\)/);
    // Two profiles, one after the other: each diagram after a line naming its profile, even over the file's own.
    const both = tcpviz('--scenario', 'four-way-close', '--compare', 'rfc,linux', '--format', 'mermaid');
    assert.equal(both.status, 0, both.stderr);
    const [rfcPart, linuxPart] = both.stdout.split('%% profile linux\n');
    // A lesson's note on where the OSes differ comes first.
    assert.ok(rfcPart!.startsWith('%% Where operating systems differ: TIME_WAIT lasts 240 s by the RFC'), both.stdout.slice(0, 200));
    assert.ok(rfcPart!.includes('\n\n%% profile rfc\n') && linuxPart, both.stdout.slice(0, 200));
    assert.match(rfcPart!, /TIME_WAIT \(2×MSL = 240 s#59; Linux: 60 s\)/);
    assert.match(linuxPart!, /TIME_WAIT \(Linux: 60 s\)/);
    const file = join(scratch, 'mine.tcpscenario');
    writeFileSync(file, 'profile linux\nendpoint a\nendpoint b\nb listen\na connect\na close\nb close\nwait 300s\n');
    assert.match(tcpviz(file, '--compare', 'macos,rfc', '--format', 'mermaid').stdout, /%% profile macos\n[\s\S]*TIME_WAIT \(macOS: 30 s\)[\s\S]*%% profile rfc\n[\s\S]*2×MSL = 240 s/);
    assert.equal(tcpviz('--scenario', 'four-way-close', '--compare', 'rfc,linux', '--format', 'json').status, 1);
    const wrong = tcpviz('--scenario', 'four-way-close', '--profile', 'bsd');
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /--profile must be rfc, linux, windows, macos/);
  });

  it('exit 2 with the errors listed and the JSON still printed for a truncated capture', () => {
    const bytes = readFileSync(fixture('interleaved.pcap'));
    const cut = join(scratch, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 30));
    const run = tcpviz(cut, '--format', 'json', '--no-segments');
    assert.equal(run.status, 2);
    const report = JSON.parse(run.stdout);
    assert.equal(report.errors.length, 1);
    assert.match(report.errors[0].message, /^truncated pcap record: it needs \d+ bytes, the file ends after \d+$/);
    assert.ok(report.connections.length > 0);
    // The offset, said once.
    assert.equal(run.stderr, `tcpviz: error at byte offset ${report.errors[0].offset}: ${report.errors[0].message}\n`);
    // Where the file breaks off is marked in the diagram of each connection still going there, after its last arrow
    // and outside its teardown's block; a connection that had ended before it is drawn as it was.
    const mermaid = tcpviz(cut, '--format', 'mermaid');
    const diagrams = mermaid.stdout.split(/^%% connection /m).slice(1);
    // Final states are keyed by each endpoint's address.
    const going = report.connections.filter((c: { finalStates: Record<string, string> }) =>
      Object.values(c.finalStates).some((s) => !['CLOSED', 'TIME_WAIT', 'LISTEN'].includes(s))).map((c: { id: number }) => c.id);
    assert.ok(going.length > 0 && going.length < diagrams.length, `connections still going: ${going}`);
    for (const text of diagrams) {
      const id = Number(text.split(',')[0]);
      const marked = /\n  end\n  Note over C,S: ⚠ the capture breaks off here: truncated pcap record: it needs \d+ bytes, the file ends after \d+ \(at byte offset \d+\)\n$/.test(text.trimEnd() + '\n');
      assert.equal(marked, going.includes(id), `connection ${id}`);
    }
  });

  it('exit 2 and one line on stderr for a file that is not a capture, or is empty; JSON still printed, with the error', () => {
    for (const [name, content, says] of [['notes.txt', 'hello there\n', 'not a capture: it looks like text ("hello there")'],
      ['empty.pcap', '', 'not a capture: the file is empty'],
      ['dump.txt', '0000  45 00 00 3c 1c 46 40 00 40 06\n', 'a text dump of packets in hex, which tcpviz does not read: convert it with Wireshark\'s text2pcap (text2pcap FILE FILE.pcapng), or with editcap (editcap -F pcapng FILE FILE.pcapng) if tshark reads it as it is']] as const) {
      const path = join(scratch, name);
      writeFileSync(path, content);
      const text = tcpviz(path);
      assert.equal(text.status, 2);
      assert.equal(text.stdout, '');
      assert.equal(text.stderr, `tcpviz: ${name}: ${says}\n`);
      const json = tcpviz(path, '--format', 'json');
      assert.equal(json.status, 2);
      assert.deepEqual(JSON.parse(json.stdout).errors, [{ offset: 0, message: says }]);
      assert.deepEqual(JSON.parse(json.stdout).connections, []);
      assert.equal(json.stderr, text.stderr);
    }
  });

  it('runs scenarios: built-in, from a file, listed, exported as a pcap that reads back', () => {
    assert.match(tcpviz('--list-scenarios').stdout, /^simultaneous-close\s+Simultaneous close$/m);
    const builtin = tcpviz('--scenario', 'simultaneous-close', '--format', 'json', '--no-segments');
    assert.equal(builtin.status, 0, builtin.stderr);
    const [c] = JSON.parse(builtin.stdout).connections;
    assert.ok(c.history['10.0.0.1:41234'].some((e: { state: string }) => e.state === 'CLOSING'));
    const file = join(scratch, 'lesson.tcpscenario');
    writeFileSync(file, 'endpoint a\nendpoint b\nb listen\na connect\na jump\n');
    const bad = tcpviz(file);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim(), `${file}:5:3: what does a do? (listen, connect, send <bytes>, shutdown, close, abort, keepalive <idle>, pause, resume)`);
    const pcap = join(scratch, 'lesson.pcap');
    const exported = tcpviz('--scenario', 'four-way-close', '--format', 'pcap', '--out', pcap);
    assert.equal(exported.status, 0, exported.stderr);
    const back = tcpviz(pcap);
    assert.match(back.stdout, /1 TCP connection\n[\s\S]*complete/);
    assert.equal(tcpviz('--scenario', 'nope').status, 1);
    assert.equal(tcpviz('--scenario', 'abort', '--format', 'pcap').status, 1, '--out is needed');
  });

  it('exit 1 for usage errors', () => {
    assert.equal(tcpviz().status, 1);
    assert.equal(tcpviz(fixture('refused.pcap'), '--format', 'xml').status, 1);
    assert.equal(tcpviz(fixture('refused.pcap'), '--connection', '99').status, 1);
    const bogus = tcpviz(fixture('refused.pcap'), '--bogus');
    assert.deepEqual([bogus.status, bogus.stderr], [1, 'tcpviz: unknown option --bogus (tcpviz --help lists the options)\n'], 'one line and a hint');
    const missing = tcpviz(join(scratch, 'missing.pcap'));
    assert.deepEqual([missing.status, missing.stderr], [1, `tcpviz: cannot read ${join(scratch, 'missing.pcap')}: no such file\n`]);
    assert.match(tcpviz('--help').stdout, /--format text\|json\|mermaid\|markdown\|pcap/, 'the usage line names every format');
    assert.equal(tcpviz('--help').status, 0);
    const directory = tcpviz('--scenario', 'lost-syn', '--format', 'pcap', '--out', scratch);
    assert.deepEqual([directory.status, directory.stderr], [1, `tcpviz: cannot write ${scratch}: it is a directory\n`]);
    // --page picks that page of each connection that has it; only a page no connection has is a mistake.
    const paged = tcpviz(fixture('interleaved.pcap'), '--format', 'mermaid', '--page', '2');
    assert.deepEqual([paged.status, paged.stderr], [1, 'tcpviz: no connection has a page 2\n']);
  });

  it('never prints a stack trace, whatever the bytes', () => {
    const source = readFileSync(fixture('ipv6.pcapng'));
    for (let i = 0; i < 25; i++) {
      const bytes = Buffer.from(source);
      for (let j = 0; j < 10; j++) bytes[(i * 7919 + j * 104729) % bytes.length] ^= 0x5a;
      const path = join(scratch, `m${i}.pcapng`);
      writeFileSync(path, bytes.subarray(0, bytes.length - i * 13));
      const run = tcpviz(path, '--format', i % 2 ? 'json' : 'mermaid');
      assert.ok(run.status === 0 || run.status === 2, `status ${run.status}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
      if (i % 2) JSON.parse(run.stdout);
    }
  });

  it('hostile scenarios end, with their partial result, a message at the line and exit 2: no stack trace, no abort', () => {
    const head = 'endpoint a 10.0.0.1:1000\nendpoint b 10.0.0.2:80\nb listen\na connect\n';
    const cases: Array<[string, number, RegExp]> = [
      ['a keepalive 0s\nwait 1s\n', 2, /:5:13: keepalive needs an idle time of at least 1ms\n$/],
      ['inject a PSH,ACK len=1\ninject b FIN,ACK\n', 0, /^$/],
      ['a send 99999999999\n', 2, /:5:8: at most 50,000,000 bytes in one send/],
      ['b pause\na send 200000\nwait 999999999s\n', 2, /:7:1: stopped at 3,600 s of simulated time/],
      ['a keepalive 1ms\nwait 100000s\n', 2, /:6:1: stopped after 100,000 packets/],
    ];
    for (const [i, [body, status, stderr]] of cases.entries()) {
      const path = join(scratch, `hostile${i}.tcpscenario`);
      writeFileSync(path, head + body);
      for (const format of ['text', 'json', 'mermaid']) {
        const run = tcpviz(path, '--format', format);
        assert.equal(run.status, status, `${body} (${format}): ${run.stderr}`);
        assert.match(run.stderr, stderr, body);
        assert.doesNotMatch(run.stderr, /\n\s+at |internal error|heap out of memory/);
        if (format === 'json' && status !== 1 && run.stdout) assert.ok(JSON.parse(run.stdout).connections.length <= 1);
      }
    }
  });
});
