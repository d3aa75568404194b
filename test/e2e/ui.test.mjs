// End to end: a person's clicks in a real VS Code (code-server) in headless Chromium, with the extension loaded as a
// development extension. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser } from '../../scripts/vscode/browser.mjs';
import { startCodeServer } from '../../scripts/vscode/codeServer.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const RESULTS = join(ROOT, 'test-results');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'linux');

let server;
let browser;
let page;

const diagramFrame = () => page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');

async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${title}$`) }) });
  await row.first().click();
}

describe('the extension in a real VS Code, driven like a person would', () => {
  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    // A workspace of its own: the user's folder in this test is a copy, so nothing real could be written.
    const workspace = mkdtempSync(join(tmpdir(), 'tcpviz-e2e-'));
    for (const name of ['simultaneous_close.pcap', 'refused.pcapng']) copyFileSync(join(FIXTURES, name), join(workspace, name));
    server = await startCodeServer({ workspace, smokeTestDriver: true });
    browser = await launchBrowser();
    page = browser.pages()[0] ?? (await browser.newPage());
    const remote = `vscode-remote://127.0.0.1:${server.port}${ROOT}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote]]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'simultaneous_close.pcap' }).waitFor({ timeout: 60000 });
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  it('right-click on a capture → Visualize TCP Handshakes → the panel shows its diagram', async () => {
    // The menu entry appears once the extension's contributions are registered: open the menu until it is there.
    const entry = page.locator('.context-view .action-item', { hasText: 'Visualize TCP Handshakes' });
    for (let attempt = 0; ; attempt++) {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'simultaneous_close.pcap' }).click({ button: 'right' });
      if (await entry.waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
      await page.keyboard.press('Escape');
      if (attempt > 30) assert.fail('the explorer menu never offered Visualize TCP Handshakes');
    }
    await entry.click();
    const frame = diagramFrame();
    await frame.locator('#diagram svg .messageText').first().waitFor({ timeout: 60000 });
    assert.equal(await frame.locator('#diagram svg .messageText').count(), 11, 'one arrow per segment');
    const notes = await frame.locator('#diagram svg .noteText').allTextContents();
    for (const state of ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING']) assert.ok(notes.some((n) => n.includes(state)), state);
    await page.screenshot({ path: join(RESULTS, 'diagram-light.png') });
  });

  it('the TCP Connections tree lists the connection and both endpoints\' histories', async () => {
    const rows = page.locator('.pane-body .monaco-list-row');
    await rows.filter({ hasText: '10.77.0.1:40005 → 10.77.0.2:8084' }).first().waitFor();
    await rows.filter({ hasText: 'client · TIME_WAIT' }).first().click();
    await rows.filter({ hasText: 'CLOSING' }).first().waitFor();
    const texts = await rows.allTextContents();
    assert.ok(texts.some((t) => t.includes('complete · 11 packets')), texts.join('\n'));
    assert.ok(texts.some((t) => t.includes('CLOSING')), 'history entries are shown');
  });

  it('switching to a dark theme draws the diagram again in dark colours', async () => {
    const frame = diagramFrame();
    const lightStyle = await frame.locator('#diagram svg style').first().textContent();
    await runCommand('Preferences: Color Theme');
    await page.locator('.quick-input-widget input').fill('Dark Modern');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().click();
    await frame.locator('body.vscode-dark').waitFor({ timeout: 20000 });
    let darkStyle = lightStyle;
    for (let i = 0; i < 50 && darkStyle === lightStyle; i++) {
      await new Promise((r) => setTimeout(r, 200));
      darkStyle = await frame.locator('#diagram svg style').first().textContent();
    }
    assert.notEqual(darkStyle, lightStyle, 'the SVG was drawn again with other colours');
    await page.screenshot({ path: join(RESULTS, 'diagram-dark.png') });
  });
});
