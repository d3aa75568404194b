// npm run bench:vscode: the extension's speed as a person sees it, in a real VS Code in Chromium. For each capture:
// time from choosing "Visualize TCP Handshakes" to the first connection in the tree and to the first diagram on
// screen, and Mermaid's render time for a full diagram page at the default budget. Then, inside the extension host,
// for the large captures (a million connections among them): how long its event loop was held at a stretch while
// the capture was read, and its memory after.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../vscode/browser.mjs';
import { startCodeServer } from '../vscode/codeServer.mjs';
import { diagramFrame, explorerMenu } from '../../test/support/workbench.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const ALL_CAPTURES = [
  join(ROOT, 'test', 'fixtures', 'linux', 'simultaneous_close.pcap'),
  join(ROOT, 'bench', 'data', 'one-long-connection.pcap'),
  join(ROOT, 'bench', 'data', 'capture-1gb-20k.pcap'),
  join(ROOT, 'bench', 'data', 'capture-1gb-100k.pcap'),
];
const only = process.argv.slice(2);
const CAPTURES = ALL_CAPTURES.filter((p) => only.length === 0 || only.some((o) => p.includes(o)));
const generate = {
  'one-long-connection.pcap': ['--mb', '30', '--connections', '1'], 'capture-1gb-20k.pcap': ['--mb', '1000', '--connections', '20000'],
  'capture-1m.pcap': ['--mb', '700', '--connections', '1000000'], 'capture-1gb-100k.pcap': ['--mb', '1000', '--connections', '100000'],
};
const HOST_CAPTURES = [join(ROOT, 'bench', 'data', 'capture-1gb-20k.pcap'), join(ROOT, 'bench', 'data', 'capture-1m.pcap')]
  .filter((p) => only.length === 0 || only.some((o) => p.includes(o)));
for (const path of [...CAPTURES, ...HOST_CAPTURES]) {
  const name = path.split('/').pop();
  if (!existsSync(path)) execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/generateCapture.ts', path, ...generate[name]], { stdio: 'inherit' });
}

const workspace = mkdtempSync(join(tmpdir(), 'tcpviz-bench-'));
for (const path of CAPTURES) symlinkSync(path, join(workspace, path.split('/').pop()));
const server = await startCodeServer({ workspace, smokeTestDriver: true });
const browser = await launchBrowser();
const rows = [];
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${ROOT}`]]);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
  let previousTitle = '';
  let previousDrawing = '';
  let previousTheme = '';
  for (const path of CAPTURES) {
    const name = path.split('/').pop();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+E');
    await page.waitForTimeout(1000);
    let started = Date.now();
    try {
      // The clock starts as the menu entry is chosen.
      await explorerMenu(page, name, 'Visualize TCP Handshakes', () => (started = Date.now()));
    } catch (error) {
      await page.screenshot({ path: join(ROOT, 'test-results', `bench-${name}.png`) });
      throw error;
    }
    // The tree shows this capture's first connection: a connection row below the capture's own row (the newest capture
    // is listed last, so the rows below it are its own).
    const shown = () => page.evaluate((file) => {
      const rows = [...document.querySelectorAll('.pane-body .monaco-list-row')];
      const at = rows.findIndex((r) => (r.textContent ?? '').includes(file));
      return at >= 0 && rows.slice(at + 1).some((r) => (r.textContent ?? '').includes('→'));
    }, name);
    while (!(await shown())) await page.waitForTimeout(10);
    const firstConnection = Date.now() - started;
    const frame = diagramFrame(page);
    // This capture's diagram, drawn: its title, and a drawing other than the one before (the title changes as drawing
    // starts, while the previous capture's diagram is still on screen).
    const drawn = frame.locator('#diagram svg .messageText').first();
    for (;;) {
      const title = await frame.locator('#title').textContent().catch(() => '');
      const drawing = await frame.locator('#diagram svg').first().getAttribute('id', { timeout: 100 }).catch(() => '');
      if (title && title !== previousTitle && drawing && drawing !== previousDrawing && (await drawn.isVisible().catch(() => false))) {
        previousTitle = title;
        previousDrawing = drawing;
        break;
      }
      await page.waitForTimeout(20);
    }
    // On screen: the page's own clock, two animation frames after the drawing went in (the polling above, through the
    // DevTools protocol, sees it later when the window is busy).
    const shownAt = () => frame.locator('#diagram').getAttribute('data-shown-at').then(Number);
    while ((await shownAt()) < started) await page.waitForTimeout(10);
    const firstShownAt = await shownAt();
    const firstDiagram = firstShownAt - started;
    const partial = await frame.locator('#noticeText', { hasText: 'Still reading' }).isVisible();
    // A connection near the end of a large capture, once it is read: found with the tree's filter, then from the click
    // on its row to its diagram on screen.
    let nearEnd;
    const sourceRow = page.locator('.pane-body .monaco-list-row', { hasText: name }).filter({ hasText: /\d connections?$/ }).first();
    await sourceRow.waitFor({ timeout: 120000 });
    const count = Number(/([\d,]+) connections?$/.exec(await sourceRow.textContent())?.[1]?.replace(/,/g, '') ?? 0);
    // Page 1 as drawn once the file is read (the first diagram may have shown only what was read by then).
    if (partial) {
      await frame.locator('#noticeText', { hasText: 'Still reading' }).waitFor({ state: 'hidden', timeout: 120000 });
      while ((await shownAt()) === firstShownAt) await page.waitForTimeout(20);
    }
    const renderMs = await frame.locator('#diagram').getAttribute('data-render-ms');
    const items = (await frame.locator('#diagram svg .messageText').count()) + (await frame.locator('#diagram svg .noteText').count());
    if (count > 1000) {
      const wanted = count - 1;
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>TCP: Filter Connections…');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Filter Connections' }).first().click();
      await page.locator('.quick-input-widget input').fill(`#${wanted}`);
      await page.keyboard.press('Enter');
      const row = page.locator('.pane-body .monaco-list-row', { hasText: `#${wanted} ` }).first();
      await row.waitFor({ timeout: 60000 });
      const clicked = Date.now();
      await row.click();
      await frame.locator('#title', { hasText: new RegExp(`^#${wanted} `) }).waitFor({ timeout: 60000 });
      while ((await shownAt()) < clicked) await page.waitForTimeout(20);
      nearEnd = (await shownAt()) - clicked;
      previousTitle = await frame.locator('#title').textContent();
      previousDrawing = (await frame.locator('#diagram svg').first().getAttribute('id')) ?? '';
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>TCP: Clear Filter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Clear Filter' }).first().click();
    }
    // A theme change shows the page in the new colours: from choosing the theme to the new colours on screen.
    const label = frame.locator('#diagram svg .messageText').first();
    const fill = () => label.evaluate((t) => getComputedStyle(t).fill).catch(() => '');
    const before = await fill();
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Preferences: Color Theme');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click();
    const theme = previousTheme === 'Dark Modern' ? 'Light Modern' : 'Dark Modern';
    previousTheme = theme;
    await page.locator('.quick-input-widget input').fill(theme);
    const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^${theme}`) }).first();
    await entry.waitFor();
    // VS Code's own part: its workbench in the new theme (its background), then the diagram in the webview.
    const workbenchColour = () => page.evaluate(() => getComputedStyle(document.querySelector('.monaco-workbench')).backgroundColor);
    const workbenchBefore = await workbenchColour();
    const switched = Date.now();
    await entry.click();
    let workbenchMs;
    for (;;) {
      if (workbenchMs === undefined && (await workbenchColour()) !== workbenchBefore) workbenchMs = Date.now() - switched;
      if ((await fill()) !== before) break;
      await page.waitForTimeout(5);
    }
    const themeMs = Date.now() - switched;
    workbenchMs ??= themeMs;
    // Step mode on the long connection's page of 300 messages: from the key (sent through the DevTools protocol) to
    // the frame showing the step, and of it the page's own work; and play at one step a second, how late each came.
    let stepMs;
    let playLateMs;
    if (name === 'one-long-connection.pcap') ({ stepMs, playLateMs } = await measureSteps(page, frame, workspace));
    rows.push({ capture: name, 'step on a 300-message page (ms, median / most)': stepMs, 'play: latest step (ms late)': playLateMs, 'first connection in tree (ms)': firstConnection, 'first diagram on screen (ms)': firstDiagram,
      'Mermaid render of page 1 (ms)': Number(renderMs), 'page 1 messages + notes': items, 'a connection near the end, click to diagram (ms)': nearEnd, 'theme change shown (ms)': themeMs, 'of it, VS Code restyling its workbench (ms)': workbenchMs });
    console.log(rows.at(-1));
  }
} finally {
  await browser.close();
  server.stop();
}
console.table(rows);

async function measureSteps(page, frame, workspace) {
  // The page budget at 450 items (300 arrows and their notes) for this measure: the extension draws the diagram on show
  // again when a diagram setting changes.
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'tcpviz.diagram.messageBudget': 450 }));
  const items = () => frame.locator('#diagram svg .messageText').count();
  for (let i = 0; i < 300 && (await items()) < 300; i++) await page.waitForTimeout(100);
  // Drawn: the steps begin once the page is still, as a reader's would.
  await page.waitForTimeout(2000);
  // The page times each step itself: from the key event (or, playing, from when the step was due) to the end of the
  // frame that shows it. Clicks and keys go to the page through the DevTools protocol.
  const steps = frame.locator('#steps');
  const shownAt = () => steps.getAttribute('data-shown-at').then(Number);
  const stepMs = () => steps.getAttribute('data-step-ms').then(Number);
  await frame.locator('#stepNext').click();
  while (!(await shownAt())) await page.waitForTimeout(20);
  const times = [];
  const work = [];
  // Steps between arrows all over the page: a click on every tenth arrow (stepping, a click steps there), then a key.
  const arrows = frame.locator('#diagram svg .messageText');
  const count = await arrows.count();
  for (let i = 0; i < 30; i++) {
    const before = await shownAt();
    if (i % 2 === 0) await arrows.nth(Math.floor((i / 30) * count)).click();
    else await page.keyboard.press(i % 6 === 5 ? 'ArrowLeft' : 'ArrowRight');
    while ((await shownAt()) === before) await page.waitForTimeout(2);
    times.push(await stepMs());
    work.push(Number(await steps.getAttribute('data-work-ms')));
    await page.waitForTimeout(100);
  }
  work.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  // Play at one step a second for ten steps: how late each step was on screen after it was due.
  const late = [];
  await frame.locator('#stepPlay').click();
  for (let last = await shownAt(); late.length < 10;) {
    const at = await shownAt();
    if (at !== last) {
      last = at;
      late.push(await stepMs());
    }
    await page.waitForTimeout(10);
  }
  await frame.locator('#stepPlay').click();
  const messages = await items();
  writeFileSync(join(workspace, '.vscode', 'settings.json'), '{}');
  return {
    stepMs: `${times[Math.floor(times.length / 2)]} / ${times.at(-1)} (the page's own work ${work[Math.floor(work.length / 2)]} / ${work.at(-1)}; ${messages} arrows on the page)`,
    playLateMs: Math.max(...late).toFixed(0),
  };
}

// The host's side, measured from inside it.
const out = join(mkdtempSync(join(tmpdir(), 'tcpviz-host-')), 'rows.json');
execFileSync(process.execPath, [join(ROOT, 'scripts', 'vscode', 'runExtensionTests.mjs'), join('scripts', 'bench', 'host')], {
  stdio: 'inherit', env: { ...process.env, TCPVIZ_BENCH_CAPTURES: HOST_CAPTURES.join(','), TCPVIZ_BENCH_OUT: out, TCPVIZ_SUITE_TIMEOUT_MS: String(30 * 60 * 1000) },
});
console.table(JSON.parse(readFileSync(out, 'utf8')));
