// The Mocha suites of test/vscode (or of the folder given), bundled for a VS Code extension host: shared by the run
// in code-server (npm test) and the run in desktop VS Code (npm run test:desktop), so both run the same suites.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const OUT = join(ROOT, 'out', 'vscode-test');

/** Bundles the suites of `folder` beside test/vscode's index; returns the index's path. */
export async function bundleSuites(folder = join(ROOT, 'test', 'vscode')) {
  // The index runs every suite in the folder: none may be left from an earlier run of other suites.
  rmSync(OUT, { recursive: true, force: true });
  await build({
    entryPoints: [join(ROOT, 'test', 'vscode', 'index.ts'), ...readdirSync(folder).filter((f) => f.endsWith('.test.ts')).map((f) => join(folder, f))],
    outdir: OUT, entryNames: '[name]', platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning',
    // Each suite with its helpers in one file; VS Code's API and the test runner come from the host.
    bundle: true, external: ['vscode', 'mocha'],
  });
  return join(OUT, 'index.js');
}
