// Driving VS Code's workbench in Chromium like a person: shared by the end-to-end tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../../scripts/vscode/browser.mjs';
import { startCodeServer } from '../../scripts/vscode/codeServer.mjs';
import { webOnlyExtension } from '../../scripts/vscode/webExtension.mjs';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const RESULTS = join(ROOT, 'test-results');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'linux');

/**
 * A real VS Code with a workspace that is a fresh copy of some captures (nothing real could be written), the extension
 * either as a development extension or installed from a .vsix, and a Chromium page on it; `languagePack` sets the
 * display language (see startCodeServer). `web` runs a web-only copy of the extension (no Node entry), which VS Code
 * runs in its Web Worker extension host, in the browser, as VS Code for the Web does.
 */
export async function openWorkbench({ vsix, languagePack, files = [], web = false } = {}) {
  const workspace = mkdtempSync(join(tmpdir(), 'tcpviz-e2e-'));
  for (const name of ['simultaneous_close.pcap', 'refused.pcapng', 'zero_window.pcap', ...files]) copyFileSync(join(FIXTURES, name), join(workspace, name));
  const server = await startCodeServer({ workspace, smokeTestDriver: !vsix, installExtension: vsix, languagePack });
  const browser = await launchBrowser();
  const page = browser.pages()[0] ?? (await browser.newPage());
  let url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  if (!vsix) {
    const extension = web ? webOnlyExtension(ROOT, join(ROOT, 'out', 'web-extension-e2e')) : ROOT;
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${extension}`]]);
    url += `&payload=${encodeURIComponent(payload)}`;
  }
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'simultaneous_close.pcap' }).waitFor({ timeout: 60000 });
  return {
    page,
    workspace,
    async close() {
      await browser.close();
      server.stop();
    },
  };
}

/** The explorer's menu entry, as package.nls.ko.json names it. */
export const VISUALIZE_KO = 'TCP 핸드셰이크 시각화';

/**
 * Korean as a display language, for openWorkbench's `languagePack`: the real Korean language pack cannot be
 * downloaded here, so test/fixtures/language-pack-ko (packaged now) makes Korean a display language, and the
 * extension's own strings do the rest.
 */
export function koreanLanguagePack() {
  const vsix = join(mkdtempSync(join(tmpdir(), 'tcpviz-ko-')), 'language-pack-ko.vsix');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository', '--out', vsix],
    { cwd: join(ROOT, 'test', 'fixtures', 'language-pack-ko'), stdio: 'ignore' });
  return { vsix, id: 'tcpviz-test.test-language-pack-ko', version: '0.0.1', language: 'ko', label: '한국어' };
}

export const diagramFrame = (page) => page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');

/** A file's row in the explorer, once the explorer is on show (something may have put another view in its place). */
export async function explorerRow(page, file) {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Shift+E');
    if (await row.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false)) return row;
    if (attempt === 3) assert.fail(`the explorer never showed ${file}`);
  }
}

/**
 * Clicks (or, with `{ clickCount: 2 }`, double-clicks) a file in the explorer. The explorer draws its rows again when
 * files change (an export writes some), so a row found can go away under the click: it is found again, three times.
 */
export async function clickExplorerRow(page, file, options = {}) {
  for (let attempt = 1; ; attempt++) {
    const row = await explorerRow(page, file);
    if (await row.click({ ...options, timeout: 5000 }).then(() => true, () => false)) return;
    if (attempt === 3) assert.fail(`the explorer's row of ${file} could not be clicked`);
  }
}

/** Right-click on a file in the explorer and choose a menu entry (it appears once the extension has registered). */
export async function explorerMenu(page, file, entryText, beforeChoosing = () => undefined) {
  const entry = page.locator('.context-view .action-item', { hasText: entryText });
  for (let attempt = 0; ; attempt++) {
    // The explorer draws its rows again when files change (an export writes some): a row can go away under the click.
    const clicked = await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).click({ button: 'right', timeout: 5000 }).then(() => true, () => false);
    if (clicked && (await entry.waitFor({ timeout: 2000 }).then(() => true, () => false))) break;
    await page.keyboard.press('Escape');
    if (!clicked) await page.keyboard.press('Control+Shift+E');
    // A workbench whose extension host came up without the extension (seen now and then) is reloaded once.
    if (attempt === 15) {
      await page.reload();
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).waitFor({ timeout: 60000 });
    }
    if (attempt > 30) assert.fail(`the explorer menu never offered ${entryText}`);
  }
  // A menu ignores a click that comes too soon after it opened: point at the entry, wait a moment, then choose it
  // with the keyboard, which the hover has focused.
  await entry.hover();
  await page.waitForTimeout(300);
  beforeChoosing();
  await page.keyboard.press('Enter');
}

/**
 * Opens the command palette. A key pressed while a webview has the focus can stay there (seen on a busy machine): a
 * person would click on the workbench outside it (the side bar's title does nothing) and press F1 again.
 */
export async function openPalette(page) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    if (await input.waitFor({ timeout: 5000 }).then(() => true, () => false)) return input;
    if (attempt === 4) assert.fail('the command palette never opened');
    await page.locator('.part.sidebar .composite.title').click({ position: { x: 8, y: 8 }, timeout: 2000 }).catch(() => undefined);
  }
}

/**
 * Runs a command from the palette by its exact title. The palette closes when something else takes the focus (a view
 * a command just revealed): a person opens it again.
 */
export async function runCommand(page, title) {
  const exactly = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: exactly }) }).first();
  for (let attempt = 1; ; attempt++) {
    const input = await openPalette(page);
    const typed = await input.fill(`>${title}`, { timeout: 5000 }).then(() => true, () => false);
    if (typed && (await row.click({ timeout: 10000 }).then(() => true, () => false))) return;
    await page.keyboard.press('Escape');
    if (attempt === 3) assert.fail(`the palette never offered ${title}`);
  }
}

/**
 * Runs a command and chooses an item of the picker it opens (typing `filter` first, if given; `check` sees the item's
 * row before it is chosen). A picker that loses the focus closes (a diagram drawn again in the panel can take it, more
 * often on a busy machine): a person opens it again.
 */
export async function runCommandAndPick(page, title, item, { filter, check } = {}) {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: item }).first();
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, title);
    if (filter !== undefined) await page.locator('.quick-input-widget input').fill(filter);
    const offered = await row.waitFor({ timeout: 10000 }).then(() => true, () => false);
    if (offered && check) await check(row);
    if (offered && (await row.click({ timeout: 10000 }).then(() => true, () => false))) return;
    await page.keyboard.press('Escape');
    if (attempt === 3) assert.fail(`${title} never offered ${item}`);
  }
}

/**
 * Right-click → Visualize TCP Handshakes, until the diagram is drawn: a click that lands while the menu is still being
 * laid out does nothing, and a person would simply try again.
 */
export async function visualizeFromExplorer(page, file, entryText = 'Visualize TCP Handshakes') {
  // A new drawing, not the one on show before (each drawing has its own id), as a person waits for what they chose.
  const drawing = diagramFrame(page).locator('#diagram svg').first();
  const before = await drawing.getAttribute('id', { timeout: 1000 }).catch(() => null);
  const drawn = diagramFrame(page).locator(before ? `#diagram svg:not([id="${before}"]) .messageText` : '#diagram svg .messageText').first();
  for (let attempt = 1; ; attempt++) {
    await explorerMenu(page, file, entryText);
    if (await drawn.waitFor({ timeout: 20000 }).then(() => true, () => false)) return;
    await page.screenshot({ path: join(RESULTS, `visualize-attempt-${attempt}.png`) });
    await page.keyboard.press('Escape');
    if (attempt === 3) assert.fail('the diagram was not drawn after three tries');
  }
}

/** The simultaneous-close capture's diagram as drawn: its arrows and the states its notes name. */
export async function expectSimultaneousCloseDiagram(page) {
  const frame = diagramFrame(page);
  await frame.locator('#diagram svg .messageText').first().waitFor({ timeout: 60000 });
  assert.equal(await frame.locator('#diagram svg .messageText').count(), 11, 'one arrow per segment');
  const notes = await frame.locator('#diagram svg .noteText').allTextContents();
  for (const state of ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING']) assert.ok(notes.some((n) => n.includes(state)), state);
}

/**
 * The simultaneous-close capture in the TCP Connections tree: its connection's row, and the client's history opened
 * from it; returns the rows' texts.
 */
export async function expectSimultaneousCloseTree(page) {
  const rows = page.locator('.pane-body .monaco-list-row');
  await rows.filter({ hasText: '10.77.0.1:40005 → 10.77.0.2:8084' }).first().waitFor();
  await rows.filter({ hasText: 'client · TIME_WAIT' }).first().click();
  await rows.filter({ hasText: 'CLOSING' }).first().waitFor();
  const texts = await rows.allTextContents();
  assert.ok(texts.some((t) => t.includes('#1 10.77.0.1:40005 → 10.77.0.2:8084') && t.includes('complete · 11 packets')), texts.join('\n'));
  return texts;
}

/**
 * What a reader sees of the diagram on screen, top to bottom: each arrow's label and each note's text with where it is
 * drawn (the centre of its box, in the page's pixels).
 */
export async function diagramItems(page) {
  const frame = diagramFrame(page);
  const read = async (selector, kind) => {
    const labels = frame.locator(`#diagram svg ${selector}`);
    const out = [];
    for (let i = 0; i < (await labels.count()); i++) {
      const box = await labels.nth(i).boundingBox();
      out.push({ kind, text: (await labels.nth(i).textContent()) ?? '', y: box.y + box.height / 2, x: box.x + box.width / 2 });
    }
    return out;
  };
  return [...(await read('.messageText', 'arrow')), ...(await read('.noteText', 'note'))].sort((a, b) => a.y - b.y);
}
