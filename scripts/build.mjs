// One esbuild script for every bundle; type-checking is `npm run typecheck` (tsc --noEmit), a step of its own.
import { build, context } from 'esbuild';
import { chmod, copyFile, mkdir, rm } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const builds = [
  // The command line: the core with a Node file reader.
  { entryPoints: ['src/cli/tcpviz.ts'], outfile: 'dist/cli/tcpviz.js', platform: 'node', format: 'cjs', target: 'node20',
    banner: { js: '#!/usr/bin/env node' } },
  // The extension host: Node, with vscode provided by VS Code.
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension/extension.js', platform: 'node', format: 'cjs',
    target: 'node20', external: ['vscode'] },
  // The worker thread that reads captures for the extension (never imports vscode).
  { entryPoints: ['src/extension/worker/nodeWorker.ts'], outfile: 'dist/extension/captureWorker.js', platform: 'node',
    format: 'cjs', target: 'node20' },
  // VS Code for the Web: the extension in its Web Worker extension host (one file, no Node built-ins), and the Web
  // Worker that reads captures there where one can be started.
  { entryPoints: ['src/extension/web/extension.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs',
    target: 'es2022', external: ['vscode'] },
  { entryPoints: ['src/extension/worker/webWorker.ts'], outfile: 'dist/web/captureWorker.js', platform: 'browser',
    format: 'iife', target: 'es2022' },
  // The diagram page: a browser script with Mermaid inside (nothing is loaded from the network).
  { entryPoints: ['src/webview/diagram.ts'], outfile: 'dist/webview/diagram.js', platform: 'browser', format: 'iife',
    target: 'es2022' },
];

// A production build starts clean, so no development source map ends up in the package.
if (production) await rm('dist', { recursive: true, force: true });
for (const options of builds) {
  const config = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', ...options };
  if (watch) await (await context(config)).watch();
  else await build(config);
}
await mkdir('dist/webview', { recursive: true });
await copyFile('src/webview/diagram.css', 'dist/webview/diagram.css');
if (!watch) await chmod('dist/cli/tcpviz.js', 0o755);
