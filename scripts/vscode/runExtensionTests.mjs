// Runs the Mocha suites of test/vscode (or the *.test.ts of the folder given as argument) inside
// a real VS Code's extension host: code-server with its smoke-test driver, opened in headless Chromium with a payload
// naming the extension and the tests. Exits with the tests' code.
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from './browser.mjs';
import { bundleSuites, ROOT } from './bundleSuites.mjs';
import { startCodeServer } from './codeServer.mjs';

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
const browser = await launchBrowser();
let code = 1;
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  const exited = new Promise((resolveExit) => {
    void page.exposeFunction('codeAutomationExit', (c) => resolveExit(Number(c)));
  });
  await page.exposeFunction('codeAutomationLog', (...args) => {
    // printf-style arguments, sometimes passed as one array; the workbench's own chatter comes as "[Area] …".
    const parts = args.length === 2 && Array.isArray(args[1]) ? args[1] : args.slice(1);
    const text = format(...parts);
    const chatter = /^\[[\w .:-]+\]|^(Resolving|Resolved|Creating a socket)|workbench\.js|getaddrinfo/;
    if (text.trim() && !chatter.test(text)) process.stdout.write(`${text}\n`);
  });
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = JSON.stringify([['extensionDevelopmentPath', remote(ROOT)], ['extensionTestsPath', remote(index)]]);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  const timeout = new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS));
  const result = await Promise.race([exited, timeout]);
  if (result === 'timeout') {
    process.stderr.write(`VS Code tests did not finish in ${TIMEOUT_MS / 1000} s\n${server.log().slice(-4000)}\n`);
  } else {
    code = result;
  }
} finally {
  await browser.close();
  server.stop();
}
process.exit(code);
