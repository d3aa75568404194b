// npm start: a real VS Code in the browser with the extension installed and a sample workspace of real captures and
// scenarios, both outside the checkout (see install.mjs). Prints what it does, then the address to open; Ctrl+C stops it.
// npm run start:web: the same with the extension as VS Code for the Web runs it (the packaged extension without its
// Node entry, run in the browser's Web Worker extension host as a development extension).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
// Without `npm ci` nothing below can build: say so in one line, not in two stack traces.
if (!existsSync(join(ROOT, 'node_modules', 'esbuild')) || !existsSync(join(ROOT, 'node_modules', 'tsx'))) {
  process.stderr.write('npm start: the dependencies are not installed; run `npm ci` first, then `npm start`.\n');
  process.exit(1);
}
const { startCodeServer } = await import('./codeServer.mjs');
const { CACHE, install } = await import('./install.mjs');
const { webOnlyFromVsix } = await import('./webExtension.mjs');
const web = process.argv.includes('--web');

const SAMPLES = ['simultaneous_close', 'simultaneous_open', 'three_segment_close', 'half_close', 'refused', 'rst_abort', 'interleaved',
  'data_loss', 'zero_window'];

/** Two scenarios to open and edit: a lesson written out, and one with a loss and its retransmission. */
const SCENARIOS = {
  'handshake-and-close.tcpscenario': `title The 3-way handshake and the 4-way close
# The client connects, sends a little data, and closes first.
endpoint client 10.0.0.1:41234
endpoint server 10.0.0.2:80
server listen
client connect        # SYN → SYN_SENT; the server answers SYN,ACK → SYN_RECEIVED
wait 10ms
client send 100       # data, once both are ESTABLISHED
wait 10ms
client close          # FIN → FIN_WAIT_1, then FIN_WAIT_2 after the ACK
wait 10ms
server close          # the server's FIN: the client goes to TIME_WAIT for 2×MSL
wait 300s
`,
  'lost-segment.tcpscenario': `title A lost segment and its retransmission
# The network drops the client's first data segment; the client sends it again when its timer runs out.
endpoint client 10.0.0.1:41235
endpoint server 10.0.0.2:80
server listen
client connect
wait 10ms
lose next client      # the next segment the client sends never arrives
client send 100
wait 3s               # the retransmission timeout (1 s at first, RFC 6298) passes
client close
server close
wait 300s
`,
};

let step = 0;
const say = (what) => process.stdout.write(`npm start: ${++step}/4 ${what}\n`);

say(`VS Code's server (installed once, in ${CACHE})`);
await install();
say('building and packaging the extension');
execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
const workspace = join(CACHE, 'sample-workspace');
say(`the sample workspace in ${workspace}`);
rmSync(workspace, { recursive: true, force: true });
mkdirSync(workspace, { recursive: true });
const fixtures = join(ROOT, 'test', 'fixtures', 'linux');
for (const file of readdirSync(fixtures)) {
  if (SAMPLES.some((s) => file === `${s}.pcap` || file === `${s}.pcapng`)) copyFileSync(join(fixtures, file), join(workspace, file));
}
for (const [name, text] of Object.entries(SCENARIOS)) writeFileSync(join(workspace, name), text);
// One long connection that turns pages, and one capture of many connections to filter, sort and group.
const generate = (name, ...args) => execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench', 'generateCapture.ts'), join(workspace, name), ...args],
  { cwd: ROOT, stdio: 'ignore' });
generate('one-long-connection.pcap', '--mb', '10', '--connections', '1');
generate('many-connections.pcap', '--mb', '20', '--connections', '5000');
say('starting VS Code');
const port = Number(process.env.PORT ?? 8123);
const vsix = join(ROOT, 'tcp-handshake-visualizer.vsix');
const server = await startCodeServer({ workspace, port, installExtension: web ? undefined : vsix });
let url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
if (web) {
  const extension = await webOnlyFromVsix(vsix, join(CACHE, 'web-extension'));
  url += `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${extension}`]]))}`;
}
process.stdout.write(`\nVS Code with TCP Handshake Visualizer${web ? ' (as VS Code for the Web runs it)' : ''} is running. Open:\n\n  ${url}\n\n` +
  'Right-click a capture in the Explorer and choose "Visualize TCP Handshakes", or open one; open a .tcpscenario and run\n' +
  '"TCP: Preview Scenario". Ctrl+C stops it.\n');
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);
