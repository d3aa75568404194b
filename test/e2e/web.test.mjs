// The extension as VS Code for the Web runs it, seen by a person in Chromium: a web-only copy of it (no Node entry)
// that the workbench runs in its Web Worker extension host, in the browser. It cannot run anywhere else: the diagram
// and the tree appearing at all show that the web build works. A capture is opened from the explorer, its diagram and
// tree are read, and the theme is switched to Dark Modern, where the contrast is measured again.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { measure } from '../support/diagramContrast.mjs';
import { manyConnections } from '../support/manyConnections.ts';
import { diagramFrame, expectSimultaneousCloseDiagram, expectSimultaneousCloseTree, explorerMenu, FIXTURES, koreanLanguagePack, openWorkbench, RESULTS, runCommandAndPick,
  runCommand, visualizeFromExplorer, VISUALIZE_KO } from '../support/workbench.mjs';

let workbench;
let page;

describe('VS Code for the Web: the Web Worker extension host', () => {
  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    workbench = await openWorkbench({ web: true });
    page = workbench.page;
  });

  after(async () => workbench?.close());

  it('Visualize TCP Handshakes from the explorer draws the diagram and fills the tree', async () => {
    await visualizeFromExplorer(page, 'simultaneous_close.pcap');
    await expectSimultaneousCloseDiagram(page);
    const texts = await expectSimultaneousCloseTree(page);
    assert.ok(texts.some((t) => /^CLOSING#9 /.test(t)), texts.filter((t) => t.startsWith('CLOSING')).join('\n'));
  });

  it('step mode steps through the segments as on the desktop', async () => {
    const frame = diagramFrame(page);
    await frame.locator('#stepNext').click();
    await frame.locator('#stepNext').click();
    assert.match(await frame.locator('#stepCounter').textContent(), /^step 2 of 11$/);
    await page.keyboard.press('Escape');
  });

  it('in Dark Modern, the diagram is as readable as on the desktop (4.5:1 at least, labels 11 px)', async () => {
    const frame = diagramFrame(page);
    const colours = frame.locator('style#colours');
    const before = await colours.textContent().catch(() => '');
    await runCommandAndPick(page, 'Preferences: Color Theme', /^Dark Modern/, { filter: 'Dark Modern' });
    for (let i = 0; i < 50 && (await colours.textContent().catch(() => before)) === before; i++) await page.waitForTimeout(100);
    await frame.locator('#diagram svg .messageText').first().waitFor();
    await page.waitForTimeout(500);
    const m = await frame.locator('body').evaluate(measure, 'diagram');
    for (const key of ['arrowText', 'arrowLine', 'noteText', 'actorText', 'actorBorder', 'noteBorder']) {
      assert.ok(m[key] >= 4.5, `${key} ${m[key].toFixed(2)}:1`);
    }
    assert.ok(m.labelHeight >= 11, `arrow labels ${m.labelHeight.toFixed(1)} px high`);
    const background = await page.locator('.monaco-workbench').evaluate((e) => getComputedStyle(e).backgroundColor);
    const [r, g, b] = background.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 3 * 64, `the workbench is dark (${background})`);
    await frame.locator('#fit').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(RESULTS, 'web-dark.png') });
  });

  it('reading a large capture can be cancelled from its progress notification, and the panel says the result is partial', async () => {
    // 60,000 connections, some 64 MB: VS Code for the Web hands it over whole, and that alone takes seconds here.
    writeFileSync(join(workbench.workspace, 'many.pcap'), manyConnections(readFileSync(join(FIXTURES, 'simultaneous_close.pcap')), 60_000, 40005));
    await explorerMenu(page, 'many.pcap', 'Visualize TCP Handshakes');
    // The tree is on show with the capture in it, being read (after half a second, though nothing is found yet).
    await page.locator('.pane-body .monaco-list-row', { hasText: /^many\.pcap/ }).waitFor({ timeout: 20000 });
    // Its progress notification, in the notifications (this headless window shows no toasts).
    await runCommand(page, 'Notifications: Show Notifications');
    const progress = page.locator('.notifications-center .monaco-list-row', { hasText: 'Reading many.pcap' });
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click({ timeout: 20000 });
    const notice = diagramFrame(page).locator('#noticeText', { hasText: 'many.pcap' });
    await notice.waitFor({ timeout: 30000 });
    assert.equal(await notice.textContent(), 'Reading many.pcap was cancelled; the result is partial.');
    await page.locator('.pane-body .monaco-list-row', { hasText: /^many\.pcap.* · cancelled$/ }).waitFor({ timeout: 10000 });
    await page.screenshot({ path: join(RESULTS, 'web-cancelled.png') });
  });
});

describe('VS Code for the Web in Korean', () => {
  let korean;
  before(async () => {
    korean = await openWorkbench({ web: true, languagePack: koreanLanguagePack() });
  });

  after(async () => korean?.close());

  it('the explorer\'s entry, the diagram\'s words and the tree\'s are Korean in the Web Worker host too', async () => {
    const { page } = korean;
    await visualizeFromExplorer(page, 'simultaneous_close.pcap', VISUALIZE_KO);
    const frame = diagramFrame(page);
    await frame.locator('#diagram svg .noteText', { hasText: '연결 수립' }).first().waitFor({ timeout: 30000 });
    const notes = await frame.locator('#diagram svg .noteText').allTextContents();
    assert.ok(notes.includes('CLOSING · #8 도착'), notes.join(' | '));
    const row = page.locator('.pane-body .monaco-list-row', { hasText: '10.77.0.1:40005 → 10.77.0.2:8084' }).first();
    await row.waitFor();
    assert.match(await row.textContent(), /정상 종료 · 패킷 11개/);
    await page.screenshot({ path: join(RESULTS, 'web-korean.png') });
  });
});
