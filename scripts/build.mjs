// One esbuild script for every bundle; type-checking is `npm run typecheck` (tsc --noEmit), a step of its own.
import { build, context } from 'esbuild';
import { chmod } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const builds = [
  {
    entryPoints: ['src/cli/tcpviz.ts'],
    outfile: 'dist/cli/tcpviz.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];

for (const options of builds) {
  const config = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', ...options };
  if (watch) await (await context(config)).watch();
  else await build(config);
}
if (!watch) await chmod('dist/cli/tcpviz.js', 0o755);
