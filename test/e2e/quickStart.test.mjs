// The README's Quick start as a newcomer runs it in this clone: `npm start` without `npm ci` says what to do in one
// line; after it, `npm start` says what it is doing, serves a VS Code whose install and sample workspace live outside
// the checkout, and stops on Ctrl+C.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/workbench.mjs';

const inside = (path, folder) => !relative(folder, path).startsWith('..');

describe('the Quick start', () => {
  it('npm start in a clone without npm ci says to run it first, in one line', () => {
    const clone = mkdtempSync(join(tmpdir(), 'tcpviz-clone-'));
    mkdirSync(join(clone, 'scripts', 'vscode'), { recursive: true });
    for (const f of readdirSync(join(ROOT, 'scripts', 'vscode'))) copyFileSync(join(ROOT, 'scripts', 'vscode', f), join(clone, 'scripts', 'vscode', f));
    const run = spawnSync(process.execPath, [join(clone, 'scripts', 'vscode', 'start.mjs')], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.equal(run.stderr, 'npm start: the dependencies are not installed; run `npm ci` first, then `npm start`.\n');
  });

  it('npm start tells its steps, serves VS Code with the samples from outside the checkout, and stops on Ctrl+C', async () => {
    const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, PORT: '8177' }, detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const deadline = Date.now() + 10 * 60_000;
      while (!/Open:\s+(\S+)/.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      const address = /Open:\s+(\S+)/.exec(out)?.[1];
      assert.ok(address, `no address printed:\n${out}`);
      for (const step of ['1/4', '2/4', '3/4', '4/4']) assert.match(out, new RegExp(`npm start: ${step} `), `step ${step} is told`);
      assert.ok((await fetch(new URL('/healthz', address))).ok, 'the server answers');
      const workspace = new URL(address).searchParams.get('folder');
      assert.ok(workspace && !inside(workspace, ROOT), `the sample workspace ${workspace} is outside the checkout`);
      assert.ok(!existsSync(join(ROOT, '.vscode-test', 'code-server')), 'no VS Code install inside the checkout');
      const samples = readdirSync(workspace);
      for (const name of ['simultaneous_close.pcap', 'zero_window.pcap', 'one-long-connection.pcap', 'many-connections.pcap',
        'handshake-and-close.tcpscenario', 'lost-segment.tcpscenario']) assert.ok(samples.includes(name), `${name} in ${samples}`);
      const long = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'tcpviz.js'), join(workspace, 'one-long-connection.pcap'), '--format', 'mermaid', '--budget', '100'], { encoding: 'utf8' });
      assert.ok(/page 2 of/.test(long.stdout), 'the long connection turns pages (at the panel\'s 100 items a page)');
      const lost = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'tcpviz.js'), join(workspace, 'lost-segment.tcpscenario'), '--format', 'mermaid'], { encoding: 'utf8' });
      assert.equal(lost.status, 0, lost.stderr);
      assert.ok(lost.stdout.includes('✗ lost'), 'the scenario loses a segment');
    } finally {
      process.kill(-child.pid, 'SIGINT');
    }
    const code = await new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (c, signal) => r(c ?? signal))));
    assert.ok(code === 0 || code === 'SIGINT', `stopped: ${code}`);
  });
});
