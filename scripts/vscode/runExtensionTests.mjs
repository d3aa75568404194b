// Runs the Mocha suites of test/vscode (or the *.test.ts of the folder given as argument) inside
// a real VS Code's extension host: code-server with its smoke-test driver, opened in headless Chromium with a payload
// naming the extension and the tests. Exits with the tests' code.
import { join, resolve } from 'node:path';
import { bundleSuites, ROOT } from './bundleSuites.mjs';
import { startCodeServer } from './codeServer.mjs';
import { runSuites } from './runSuites.mjs';

const TIMEOUT_MS = Number(process.env.TCPVIZ_SUITE_TIMEOUT_MS ?? 5 * 60 * 1000);
const index = await bundleSuites(process.argv[2] && resolve(ROOT, process.argv[2]));

const workspace = join(ROOT, 'test', 'fixtures', 'linux');
const server = await startCodeServer({
  workspace, smokeTestDriver: true,
  // VS Code's port finder spawns processes from the extension host every few seconds (code-server has a tunnel
  // provider, so only the "output" source turns it off): its pauses are not the extension's.
  settings: { 'remote.autoForwardPorts': false, 'remote.autoForwardPortsSource': 'output' },
  env: { TCPVIZ_FIXTURES: workspace, ...(process.env.TCPVIZ_BENCH_CAPTURES ? { TCPVIZ_BENCH_CAPTURES: process.env.TCPVIZ_BENCH_CAPTURES, TCPVIZ_BENCH_OUT: process.env.TCPVIZ_BENCH_OUT } : {}) },
});
let code = 1;
try {
  code = await runSuites({ server, workspace, extension: ROOT, tests: index, timeoutMs: TIMEOUT_MS });
} finally {
  server.stop();
}
process.exit(code);
