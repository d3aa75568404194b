// The extension host's side of `npm run bench:vscode`: for each capture, the longest time its event loop was held at a
// stretch while the capture was read into the tree and its first diagram shown, and the host's memory after. Runs
// inside VS Code's extension host (scripts/vscode/runExtensionTests.mjs scripts/bench/host), writes JSON rows to
// $TCPVIZ_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { TcpvizApi } from '../../../src/extension/extension';
import { longestStall } from '../../../test/support/longestStall';

describe('the extension host while a capture is read', () => {
  it('measures stalls and memory', async function () {
    this.timeout(30 * 60 * 1000);
    const api = await vscode.extensions.getExtension<TcpvizApi>('tcpviz.tcp-handshake-visualizer')!.activate();
    const rows: unknown[] = [];
    // What the host does with no capture being read (VS Code's own work and other extensions'), once the window has
    // settled: the floor under the rows.
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(5000);
    const { longest: idle } = await longestStall(() => sleep(5000));
    for (const path of (process.env.TCPVIZ_BENCH_CAPTURES ?? '').split(',').filter(Boolean)) {
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const started = Date.now();
      const uri = vscode.Uri.file(path);
      const { longest, busiest } = await longestStall(() => Promise.resolve(vscode.commands.executeCommand('tcpviz.visualizeCapture', uri)));
      const seconds = (Date.now() - started) / 1000;
      delay.disable();
      const source = api.sources.get(uri.toString())!;
      // A connection near the end, whose segments were not kept: its own records read again where they lie.
      const near = Math.max(1, source.total - 1);
      const asked = performance.now();
      await api.sources.diagram(source, near);
      const nearEnd = Math.round(performance.now() - asked);
      rows.push({
        capture: path.split('/').pop(), connections: source.count, 'read and first diagram (s)': seconds,
        'longest host stall (ms)': longest, 'longest host work at a stretch (ms)': busiest, 'host stall p99 (ms)': Math.round(delay.percentile(99) / 1e6),
        'host heap after (MiB)': Math.round(process.memoryUsage().heapUsed / 2 ** 20),
        // The whole process: VS Code's extension host with every extension, and the worker that read the capture.
        'host process RSS after (MiB)': Math.round(process.memoryUsage().rss / 2 ** 20), 'longest stall, host idle (ms)': idle,
        [`diagram of #${near} (ms)`]: nearEnd,
      });
    }
    writeFileSync(process.env.TCPVIZ_BENCH_OUT!, JSON.stringify(rows));
  });
});
