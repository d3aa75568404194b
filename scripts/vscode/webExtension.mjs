// The extension as VS Code for the Web runs it: what the package ships, with the manifest's Node entry (`main`) and
// its preference for the workspace's (Node) extension host taken out, so that a VS Code with a Node extension host
// (code-server) still runs it in its Web Worker extension host, in the browser, as vscode.dev and github.dev do.
// Made from the build in the checkout, or from the packaged .vsix itself.
import { cpSync, createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yauzl from 'yauzl';

const SHIPPED = ['dist/web', 'dist/webview', 'media', 'syntaxes', 'snippets', 'l10n', 'package.nls.json', 'package.nls.ko.json', 'README.md', 'LICENSE'];

function webOnly(folder) {
  const path = join(folder, 'package.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  if (!manifest.browser) throw new Error(`${path} has no browser entry`);
  delete manifest.main;
  delete manifest.extensionKind;
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return folder;
}

/** Writes the web-only copy of the extension built in `root` to `folder`; returns `folder`. */
export function webOnlyExtension(root, folder) {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const path of SHIPPED) cpSync(join(root, path), join(folder, path), { recursive: true });
  cpSync(join(root, 'package.json'), join(folder, 'package.json'));
  return webOnly(folder);
}

/** Unpacks the extension in a .vsix (its `extension/` folder) to `folder`, then makes it web-only; returns `folder`. */
export async function webOnlyFromVsix(vsix, folder) {
  rmSync(folder, { recursive: true, force: true });
  const zip = await new Promise((resolve, reject) => yauzl.open(vsix, { lazyEntries: true }, (error, z) => (error ? reject(error) : resolve(z))));
  await new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry) => {
      if (!entry.fileName.startsWith('extension/') || entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const out = join(folder, entry.fileName.slice('extension/'.length));
        mkdirSync(dirname(out), { recursive: true });
        stream.pipe(createWriteStream(out)).on('finish', () => zip.readEntry()).on('error', reject);
      });
    });
    zip.readEntry();
  });
  return webOnly(folder);
}
