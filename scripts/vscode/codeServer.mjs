// Starts and stops a real VS Code (code-server) for tests, isolated in its own folders, on a free local port.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_SERVER_DIR, install, NODE24 } from './install.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts code-server on 127.0.0.1 with the given workspace. Everything it writes goes below a fresh folder (XDG
 * directories and TMPDIR included). Returns its address and a stop() that ends the whole process group (killing only
 * the server would leave its extension host and file watcher running for hours).
 */
export async function startCodeServer({ workspace, env = {}, smokeTestDriver = false, settings = {}, installExtension, port: wantedPort, languagePack }) {
  await install();
  const home = mkdtempSync(join(tmpdir(), 'tcpviz-vscode-'));
  const dirs = Object.fromEntries(['data', 'extensions', 'config', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp'].map((d) => {
    const path = join(home, d);
    mkdirSync(path, { recursive: true });
    return [d, path];
  }));
  const userSettings = join(dirs.data, 'User');
  mkdirSync(userSettings, { recursive: true });
  writeFileSync(join(userSettings, 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
    'update.mode': 'none', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true, 'workbench.tips.enabled': false, 'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden', ...settings,
  }, null, 2));
  const port = wantedPort ?? (await freePort());
  const config = join(dirs.config, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--reconnection-grace-time', '5', '--ignore-last-opened', '--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions,
    '--config', config];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (languagePack) args.push('--locale', languagePack.language);
  args.push(workspace);
  // No extension gallery (code-server's default is Open VSX, which this VS Code would try to reach for themes and
  // recommendations): an empty gallery turns it off.
  const childEnv = { ...process.env, EXTENSIONS_GALLERY: '{}', ...env, XDG_CONFIG_HOME: dirs['xdg-config'], XDG_DATA_HOME: dirs['xdg-data'], XDG_CACHE_HOME: dirs['xdg-cache'], TMPDIR: dirs.tmp };
  // code-server installs a .vsix and exits, like `code --install-extension`.
  const installVsix = (vsix) => execFileSync(NODE24, [args[0], '--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions,
    '--install-extension', vsix], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  if (installExtension) installVsix(installExtension);
  if (languagePack) {
    // A display language needs its pack installed and listed in languagepacks.json, which VS Code's CLI install does
    // not write for code-server: write it, the way the desktop's language pack service does.
    installVsix(languagePack.vsix);
    const folder = readdirSync(dirs.extensions).find((d) => d.startsWith(`${languagePack.id}-`));
    writeFileSync(join(dirs.data, 'languagepacks.json'), JSON.stringify({
      [languagePack.language]: {
        hash: `${languagePack.id}-${languagePack.version}`,
        extensions: [{ extensionIdentifier: { id: languagePack.id }, version: languagePack.version }],
        translations: { vscode: join(dirs.extensions, folder, 'translations', 'main.i18n.json') },
        label: languagePack.label,
      },
    }));
  }
  const child = spawn(NODE24, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv,
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`code-server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    home,
    log: () => log,
    stop() {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
