// Runs the Mocha suites of test/vscode-web inside VS Code for the Web's extension host, a Web Worker in the browser:
// code-server with its smoke-test driver, given a web-only copy of the extension (no `main`, so it can only run
// there), opened in headless Chromium. The copy is of the build in the checkout, or with `--vsix FILE` of the
// packaged extension. The workspace is a scratch folder with the captures the suites read. Exits with the tests' code.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './bundleSuites.mjs';
import { startCodeServer } from './codeServer.mjs';
import { runSuites } from './runSuites.mjs';
import { webOnlyExtension, webOnlyFromVsix } from './webExtension.mjs';
import { manyConnections } from '../../test/support/manyConnections.ts';

const TIMEOUT_MS = Number(process.env.TCPVIZ_SUITE_TIMEOUT_MS ?? 5 * 60 * 1000);
const vsix = process.argv.indexOf('--vsix');
const extension = vsix > 0
  ? await webOnlyFromVsix(process.argv[vsix + 1], join(ROOT, 'out', 'web-extension-vsix'))
  : webOnlyExtension(ROOT, join(ROOT, 'out', 'web-extension'));
// One file for the Web Worker host: Mocha's browser build and the suites; VS Code's API comes from the host. Inside
// the extension's folder: VS Code runs tests in the extension host of the extension whose folder holds them.
const tests = join(extension, 'test', 'index.js');
await build({
  entryPoints: [join(ROOT, 'test', 'vscode-web', 'index.ts')], outfile: tests, bundle: true,
  platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'], sourcemap: 'inline', logLevel: 'warning',
});

// The workspace: real captures, a damaged one, and one over the web's size limit (sparse: it takes no disk).
const workspace = mkdtempSync(join(tmpdir(), 'tcpviz-web-workspace-'));
const fixtures = join(ROOT, 'test', 'fixtures', 'linux');
for (const name of ['simultaneous_close.pcap', 'three_segment_close.pcap', 'refused.pcap']) copyFileSync(join(fixtures, name), join(workspace, name));
copyFileSync(join(ROOT, 'test', 'fixtures', 'other-formats', 'client_close.netmon2.cap'), join(workspace, 'client_close.netmon2.cap'));
writeFileSync(join(workspace, 'client_close.snoop.cap.gz'), gzipSync(readFileSync(join(ROOT, 'test', 'fixtures', 'other-formats', 'client_close.snoop.cap'))));
writeFileSync(join(workspace, 'client_close.pcapng.gz'), gzipSync(readFileSync(join(fixtures, 'client_close.pcapng'))));
const interleaved = readFileSync(join(fixtures, 'interleaved.pcap'));
writeFileSync(join(workspace, 'damaged.pcap'), interleaved.subarray(0, interleaved.length - 40));
// 30,000 connections (some 30 MB): big enough that reading it at one go would hold the host.
writeFileSync(join(workspace, 'many.pcap'), manyConnections(readFileSync(join(fixtures, 'simultaneous_close.pcap')), 30_000, 40005));
writeFileSync(join(workspace, 'mistake.tcpscenario'), 'endpoint a\nendpoint b\nb listen\na connect\na jump\n');
const big = openSync(join(workspace, 'too-big.pcap'), 'w');
ftruncateSync(big, 101 * 1024 * 1024);
closeSync(big);
mkdirSync(join(workspace, 'exports'));

const server = await startCodeServer({ workspace, smokeTestDriver: true, settings: { 'remote.autoForwardPorts': false, 'remote.autoForwardPortsSource': 'output' } });
let code = 1;
try {
  // The Web Worker host's console (Mocha's reporter writes there) reaches the page's.
  code = await runSuites({ server, workspace, extension, tests, timeoutMs: TIMEOUT_MS, console: true });
} finally {
  server.stop();
}
process.exit(code);
