// The diagram as read in each kind of theme, measured the way a reader meets it: the contrast of what is drawn
// against what it is drawn on, from the colours the page computed, and the height of an arrow's label on screen.
// Screenshots of each theme go to test-results/ (the README shows them).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { measure } from '../support/diagramContrast.mjs';
import { diagramFrame, openWorkbench, RESULTS, runCommandAndPick, visualizeFromExplorer } from '../support/workbench.mjs';

let workbench;
let page;

const THEMES = [
  { name: 'Light Modern', file: 'theme-light', least: 4.5 },
  { name: 'Dark Modern', file: 'theme-dark', least: 4.5 },
  { name: 'Dark High Contrast', file: 'theme-hc-dark', least: 7 },
  { name: 'Light High Contrast', file: 'theme-hc-light', least: 7 },
];

async function chooseTheme(name) {
  await runCommandAndPick(page, 'Preferences: Color Theme', new RegExp(`^${name}`), { filter: name });
}

describe('the diagram in every kind of theme', () => {
  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    workbench = await openWorkbench();
    page = workbench.page;
    await visualizeFromExplorer(page, 'simultaneous_close.pcap');
  });

  after(async () => workbench?.close());

  for (const theme of THEMES) {
    it(`${theme.name}: arrows, lines, notes and participants have at least ${theme.least}:1 contrast; labels at least 11 px`, async () => {
      const frame = diagramFrame(page);
      const colours = frame.locator('style#colours');
      const before = await colours.textContent().catch(() => '');
      await chooseTheme(theme.name);
      // Shown in the new theme's colours (the first theme may be the one on show already).
      for (let i = 0; i < 50; i++) {
        if ((await colours.textContent().catch(() => before)) !== before) break;
        await page.waitForTimeout(100);
      }
      await frame.locator('#diagram svg .messageText').first().waitFor();
      await page.waitForTimeout(500);
      const m = await frame.locator('body').evaluate(measure, 'diagram');
      for (const key of ['arrowText', 'arrowLine', 'noteText', 'actorText', 'actorBorder', 'noteBorder']) {
        assert.ok(m[key] >= theme.least, `${theme.name}: ${key} ${m[key].toFixed(2)}:1 (needs ${theme.least}:1)`);
      }
      assert.ok(m.phases >= 4, `state notes in ${m.phases} phase colours`);
      assert.ok(m.labelHeight >= 11, `arrow labels ${m.labelHeight.toFixed(1)} px high`);
      // The README's picture: the whole diagram in view, then back to 100% for the next theme.
      await frame.locator('#fit').click();
      await frame.locator('#viewport').evaluate((v) => v.scrollTo(0, 0));
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(RESULTS, `${theme.file}.png`) });
      // Step mode in this theme, then left with Escape: nothing stays dimmed.
      await frame.locator('#stepNext').click();
      for (let n = 2; n <= 4; n++) await frame.locator('#viewport').press('ArrowRight');
      await frame.locator('#stepCounter', { hasText: 'step 4 of 11' }).waitFor();
      await page.screenshot({ path: join(RESULTS, `${theme.file}-step.png`) });
      const veil = await frame.locator('#diagram .tcpviz-veil').evaluate((v) => ({
        shown: !v.hidden, fill: getComputedStyle(v).backgroundColor, page: getComputedStyle(document.body).backgroundColor,
      }));
      assert.ok(veil.shown, 'what comes after step 4 is dimmed');
      assert.equal(veil.fill, veil.page, `${theme.name}: dimmed by a veil of the background's colour`);
      // The controls a teacher projects: as readable as the diagram, in step mode and in predict mode.
      const stepping = await frame.locator('body').evaluate(measure, 'controls');
      await frame.locator('#stepPredict').click();
      await frame.locator('#quiz button').first().waitFor();
      const predicting = await frame.locator('body').evaluate(measure, 'controls');
      await frame.locator('#stepPredict').click();
      for (const [mode, low] of [['step mode', stepping], ['predict mode', predicting]]) {
        assert.ok(low.contrast >= theme.least, `${theme.name}, ${mode}: ${low.what} ${low.contrast.toFixed(2)}:1 (needs ${theme.least}:1)`);
      }
      await frame.locator('#viewport').press('Escape');
      assert.equal(await frame.locator('#diagram .tcpviz-veil:visible').count(), 0, 'step mode left: nothing dimmed');
      assert.equal(await frame.locator('#stepCounter').textContent(), '');
      await frame.locator('#zoomReset').click();
    });
  }

  it('labels keep their size in a narrow and a wide panel, and the participants stay in view when scrolled', async () => {
    const frame = diagramFrame(page);
    const heights = [];
    for (const width of [900, 1900]) {
      await page.setViewportSize({ width, height: 1000 });
      await page.waitForTimeout(800);
      heights.push(await frame.locator('#diagram svg .messageText').first().evaluate((t) => t.getBoundingClientRect().height));
    }
    await page.setViewportSize({ width: 1600, height: 1000 });
    assert.ok(Math.abs(heights[0] - heights[1]) < 0.5, `label heights ${heights.join(' and ')} px`);
    assert.ok(heights[0] >= 11, `${heights[0]} px`);
    // Scrolled down: the sticky participant boxes are at the top of the view, each with the state its endpoint is in
    // by the diagram's notes that have scrolled past the boxes (read on screen, left and right of the middle).
    // Not yet scrolled: the sticky boxes lie exactly on the diagram's own.
    await frame.locator('#viewport').evaluate((v) => v.scrollTo(0, 0));
    await page.waitForTimeout(200);
    const offsets = await frame.locator('#viewport').evaluate(() => {
      const top = (selector) => [...document.querySelectorAll(selector)].map((r) => Math.round(r.getBoundingClientRect().top)).sort();
      return { sticky: top('#lifelines rect.actor-top'), drawn: top('#diagram rect.actor-top') };
    });
    assert.deepEqual(offsets.sticky, offsets.drawn, 'the sticky participants cover the drawn ones');
    await frame.locator('#zoomIn').click();
    await frame.locator('#zoomIn').click();
    for (const share of [0.5, 1]) {
      await frame.locator('#viewport').evaluate((v, at) => v.scrollTo(0, (v.scrollHeight - v.clientHeight) * at), share);
      await page.waitForTimeout(300);
      const sticky = await frame.locator('#lifelines').evaluate((overlay) => {
        const view = document.querySelector('#viewport').getBoundingClientRect();
        const leftToRight = (nodes) => [...nodes].sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left);
        const names = leftToRight(overlay.querySelectorAll('text.actor')).map((t) => ({ text: t.textContent, top: t.getBoundingClientRect().top - view.top }));
        const states = leftToRight(overlay.querySelectorAll('text.tcpviz-sticky-state')).map((t) => t.textContent);
        const boxesBottom = Math.max(...[...overlay.querySelectorAll('rect.actor')].map((r) => r.getBoundingClientRect().bottom));
        const middle = (() => { const b = document.querySelector('#diagram svg').getBoundingClientRect(); return b.left + b.width / 2; })();
        const stateNames = ['LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT', 'CLOSED'];
        // A note has passed when its box (not only its text, a little lower) has reached the boxes' lower edge.
        const passed = [...document.querySelectorAll('#diagram svg .noteText')].map((t) => ({ box: (t.parentElement.querySelector('rect.note') ?? t).getBoundingClientRect(), words: t.textContent.split('→').at(-1).trim().split(/[\s·(]/)[0] }))
          .filter((n) => stateNames.includes(n.words) && n.box.top < boxesBottom).sort((a, b) => a.box.top - b.box.top);
        const expected = [passed.filter((n) => n.box.left + n.box.width / 2 < middle).at(-1)?.words, passed.filter((n) => n.box.left + n.box.width / 2 > middle).at(-1)?.words];
        return { names, states, expected };
      });
      assert.deepEqual(sticky.names.map((n) => n.text), ['10.77.0.1:40005', '10.77.0.2:8084']);
      assert.ok(sticky.names.every((n) => n.top >= 0 && n.top < 120), `names at ${sticky.names.map((n) => n.top)} px from the top`);
      assert.deepEqual(sticky.states, sticky.expected, `the states at ${share * 100}% of the way down`);
    }
    await page.screenshot({ path: join(RESULTS, 'sticky-participants.png') });
  });

  it('a comparison of two profiles reads as well as one diagram in every kind of theme: both columns and their names', async () => {
    await runCommandAndPick(page, 'TCP: Visualize Scenario…', 'The graceful 4-way close');
    const frame = diagramFrame(page);
    await frame.locator('#diagram > svg .messageText').first().waitFor({ timeout: 30000 });
    await frame.locator('#compare').click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'RFC 9293 | Linux' }).first().click();
    await frame.locator('.compareColumn').nth(1).locator('svg .messageText').first().waitFor({ timeout: 30000 });
    for (const theme of THEMES) {
      const colours = frame.locator('style#colours');
      const before = await colours.textContent().catch(() => '');
      await chooseTheme(theme.name);
      for (let i = 0; i < 50; i++) {
        if ((await colours.textContent().catch(() => before)) !== before) break;
        await page.waitForTimeout(100);
      }
      await frame.locator('.compareColumn').nth(1).locator('svg .messageText').first().waitFor();
      await page.waitForTimeout(500);
      for (const n of [0, 1]) {
        const m = await frame.locator('body').evaluate(measure, `compare:${n}`);
        for (const key of ['arrowText', 'arrowLine', 'noteText', 'actorText', 'actorBorder', 'noteBorder', 'heading']) {
          assert.ok(m[key] >= theme.least, `${theme.name}, column ${n + 1}: ${key} ${m[key].toFixed(2)}:1 (needs ${theme.least}:1)`);
        }
        assert.ok(m.labelHeight >= 11, `${theme.name}, column ${n + 1}: arrow labels ${m.labelHeight.toFixed(1)} px high`);
      }
      await page.screenshot({ path: join(RESULTS, `${theme.file}-compare.png`) });
    }
    await frame.locator('#compareLeave').click();
    await frame.locator('#diagram > svg .messageText').first().waitFor({ timeout: 20000 });
  });
});
