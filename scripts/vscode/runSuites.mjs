// Runs bundled Mocha suites inside a real VS Code's extension host, through code-server's smoke-test driver: the
// workbench is opened in headless Chromium with a payload naming the development extension and the tests, and says
// through window.codeAutomationExit when they are done. Shared by the Node host's run and the Web Worker host's.
import { format } from 'node:util';
import { launchBrowser } from './browser.mjs';

/** The workbench's own chatter in the log and the console: not the tests'. */
const CHATTER = new RegExp([
  String.raw`^\[[\w .:-]+\]`, '^(Resolving|Resolved|Creating a socket)', String.raw`workbench\.js`, 'getaddrinfo', '^%c',
  '^Ignoring fetching additional builtin extensions', '^Failed to load resource', '^The web worker extension host is started',
  '^An iframe which has both allow-scripts', '^No search provider registered', '^Updating additional builtin extensions',
].join('|'));

/**
 * Opens `workspace` in the workbench of `server` (started with the smoke-test driver) with `extension` as the
 * development extension and `tests` (a script exporting run()) as its tests; returns the tests' exit code (1 on a
 * timeout). `console`: also print the page's console, where a Web Worker extension host's output goes.
 */
export async function runSuites({ server, workspace, extension, tests, timeoutMs, console: fromConsole = false }) {
  const browser = await launchBrowser();
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const exited = new Promise((resolveExit) => {
      void page.exposeFunction('codeAutomationExit', (c) => resolveExit(Number(c)));
    });
    const print = (text) => {
      if (text.trim() && !CHATTER.test(text)) process.stdout.write(`${text}\n`);
    };
    // printf-style arguments, sometimes passed as one array.
    await page.exposeFunction('codeAutomationLog', (...args) => print(format(...(args.length === 2 && Array.isArray(args[1]) ? args[1] : args.slice(1)))));
    if (fromConsole) page.on('console', (message) => print(message.text()));
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(extension)], ['extensionTestsPath', remote(tests)]]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    if (result !== 'timeout') return result;
    process.stderr.write(`the tests did not finish in ${timeoutMs / 1000} s\n${server.log().slice(-4000)}\n`);
    return 1;
  } finally {
    await browser.close();
  }
}
