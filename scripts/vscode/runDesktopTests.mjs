// npm run test:desktop: the same Mocha suites as `npm test` runs in code-server, in desktop VS Code through
// @vscode/test-electron, which downloads VS Code the usual way. Where it cannot (no internet, as on this project's
// machines), one line says so and `npm test` is the way.
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { bundleSuites, ROOT } from './bundleSuites.mjs';
import { CACHE } from './install.mjs';

const workspace = join(ROOT, 'test', 'fixtures', 'linux');
const index = await bundleSuites();
let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ cachePath: join(CACHE, 'desktop') });
} catch (error) {
  const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(`test:desktop: desktop VS Code could not be downloaded (${why}); \`npm test\` runs the same suites in code-server.\n`);
  process.exit(1);
}
try {
  process.exit(await runTests({
    vscodeExecutablePath, extensionDevelopmentPath: ROOT, extensionTestsPath: index,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { TCPVIZ_FIXTURES: workspace },
  }));
} catch (error) {
  process.stderr.write(`test:desktop: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
