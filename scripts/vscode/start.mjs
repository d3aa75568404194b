// npm start: a real VS Code in the browser with the extension installed and a sample workspace of real captures.
// Prints the address to open; Ctrl+C stops it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCodeServer } from './codeServer.mjs';
import { CACHE, install } from './install.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const SAMPLES = ['simultaneous_close', 'simultaneous_open', 'three_segment_close', 'half_close', 'refused', 'rst_abort', 'interleaved', 'data_loss'];

install();
execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
const workspace = join(CACHE, 'sample-workspace');
mkdirSync(workspace, { recursive: true });
const fixtures = join(ROOT, 'test', 'fixtures', 'linux');
for (const file of readdirSync(fixtures)) {
  if (SAMPLES.some((s) => file === `${s}.pcap` || file === `${s}.pcapng`)) copyFileSync(join(fixtures, file), join(workspace, file));
}
const port = Number(process.env.PORT ?? 8123);
const server = await startCodeServer({ workspace, port, installExtension: join(ROOT, 'tcp-handshake-visualizer.vsix') });
process.stdout.write(`\nVS Code with TCP Handshake Visualizer is running. Open:\n\n  ${server.url}/?folder=${encodeURIComponent(workspace)}\n\n` +
  'Right-click a capture in the Explorer and choose "Visualize TCP Handshakes", or open one. Ctrl+C stops it.\n');
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);
