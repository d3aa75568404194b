// Runs every test file under test/ with Node's own test runner (the suites that run inside VS Code's extension hosts,
// test/vscode and test/vscode-web, have their own runners); TypeScript is loaded through tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ['fixtures', 'vscode', 'vscode-web', 'e2e-vsix'].includes(name) ? [] : find(path);
    return name.endsWith('.test.ts') || name.endsWith('.test.mjs') ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = find('test').filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
