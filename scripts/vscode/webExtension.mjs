// The extension as VS Code for the Web runs it: a copy of what the package ships, with the manifest's Node entry
// (`main`) and its preference for the workspace's (Node) extension host taken out, so that a VS Code with a Node
// extension host (code-server) still runs it in its Web Worker extension host, in the browser, as vscode.dev and
// github.dev do.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SHIPPED = ['dist/web', 'dist/webview', 'media', 'syntaxes', 'snippets', 'l10n', 'package.nls.json', 'package.nls.ko.json', 'README.md', 'LICENSE'];

/** Writes the web-only copy of the extension built in `root` to `folder`; returns `folder`. */
export function webOnlyExtension(root, folder) {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const path of SHIPPED) cpSync(join(root, path), join(folder, path), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete manifest.main;
  delete manifest.extensionKind;
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return folder;
}
