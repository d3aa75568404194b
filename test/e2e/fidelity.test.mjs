// What a reader sees of segments that are not what they seem, in a real VS Code: an RST injected with the server's
// address (marked on its arrow, in its hover card and in step mode, readable in light, dark and high-contrast themes),
// and a connection inside a VXLAN tunnel (its layers named in the hover card and the tree). Screenshots go to
// test-results/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagramFrame, openWorkbench, RESULTS, runCommandAndPick, visualizeFromExplorer } from '../support/workbench.mjs';

let workbench;
let page;

/**
 * In the page: the contrast of an SVG text's fill against what it is drawn on, the page's background (`on` 'page') or
 * its note's box ('note'), from the computed colours; and the text.
 */
function textContrast(text, on) {
  const rgb = (s) => s.match(/[\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => c.map((v) => v / 255).map((s) => (s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const under = on === 'note' ? getComputedStyle(text.parentElement.querySelector('rect.note')).fill : getComputedStyle(document.body).backgroundColor;
  const [a, b] = [lum(rgb(getComputedStyle(text).fill)), lum(rgb(under))].sort((x, y) => y - x);
  return { contrast: (a + 0.05) / (b + 0.05), text: text.textContent };
}

describe('injected segments and tunnels, as a reader sees them', () => {
  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    workbench = await openWorkbench({ files: ['rst_injected_exact.pcap', 'tunnel_vxlan.pcap'] });
    page = workbench.page;
  });

  after(async () => workbench?.close());

  it('an RST forged at the client\'s RCV.NXT: marked injected on its arrow, in its card and in step mode', async () => {
    await visualizeFromExplorer(page, 'rst_injected_exact.pcap');
    const frame = diagramFrame(page);
    const rst = frame.locator('#diagram svg .messageText', { hasText: /#8 .*RST .*⚠ injected/ });
    await rst.waitFor();
    // The client's reset follows the forged RST; the server's states go on to FIN_WAIT_1 (its close was taken back).
    const notes = await frame.locator('#diagram svg .noteText').allTextContents();
    assert.ok(notes.some((n) => n.includes('FIN_WAIT_1')), notes.join(' | '));
    await rst.hover();
    await frame.locator('#details', { hasText: 'injected: its sender went on after it, so not its own' }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'injected-rst-hover.png') });
    // Step mode at the forged RST: its explanation says whose it is not.
    await frame.locator('#stepNext').click();
    for (let n = 2; n <= 8; n++) await frame.locator('#viewport').press('ArrowRight');
    await frame.locator('#stepCounter', { hasText: /^step 8 of/ }).waitFor();
    const text = await frame.locator('#stepText').textContent();
    assert.match(text, /Not the server's own: judged by the server's own sequence space, a middlebox or an attacker injected it/);
    // The step says what the diagram draws: the client reset by it, the server unchanged.
    assert.match(text, /The client receives it: ESTABLISHED → CLOSED/);
    assert.doesNotMatch(text, /No state changes/);
    await page.screenshot({ path: join(RESULTS, 'injected-rst-step.png') });
    await frame.locator('#viewport').press('Escape');
  });

  for (const [theme, file, least] of [['Dark Modern', 'injected-rst-dark', 4.5], ['Light High Contrast', 'injected-rst-hc-light', 7]]) {
    it(`the injected RST's mark in ${theme}: its label as readable as every other`, async () => {
      await runCommandAndPick(page, 'Preferences: Color Theme', new RegExp(`^${theme}`), { filter: theme });
      const frame = diagramFrame(page);
      await page.waitForTimeout(1200);
      const { contrast } = await frame.locator('#diagram svg .messageText', { hasText: /⚠ injected/ }).first().evaluate(textContrast, 'page');
      assert.ok(contrast >= least, `${contrast.toFixed(2)}:1 (needs ${least}:1)`);
      // Stepped to the forged RST, the client's CLOSED note is highlighted: its text readable on the selection colour.
      await frame.locator('#stepNext').click();
      for (let n = 2; n <= 8; n++) await frame.locator('#viewport').press('ArrowRight');
      await frame.locator('#stepCounter', { hasText: /^step 8 of/ }).waitFor();
      const highlighted = await frame.locator('#diagram svg .noteText.tcpviz-highlight').first().evaluate(textContrast, 'note');
      assert.ok(highlighted.contrast >= least, `highlighted note "${highlighted.text}": ${highlighted.contrast.toFixed(2)}:1 (needs ${least}:1)`);
      await page.screenshot({ path: join(RESULTS, `${file}.png`) });
      await frame.locator('#viewport').press('Escape');
    });
  }

  it('a connection inside VXLAN: the inner addresses, and the outer layers named in the card and the tree', async () => {
    await runCommandAndPick(page, 'Preferences: Color Theme', /^Light Modern/, { filter: 'Light Modern' });
    await visualizeFromExplorer(page, 'tunnel_vxlan.pcap');
    const frame = diagramFrame(page);
    const syn = frame.locator('#diagram svg .messageText', { hasText: /SYN seq=0/ }).first();
    await syn.waitFor();
    await syn.hover();
    await frame.locator('#details', { hasText: 'inside: IPv4 10.77.0.1 > 10.77.0.2 / VXLAN VNI 42' }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'tunnel-vxlan-hover.png') });
    const row = page.locator('.pane-body .monaco-list-row', { hasText: '10.78.0.1:40024 → 10.78.0.2:8080' }).first();
    await row.hover();
    const hover = page.locator('.monaco-hover, .custom-hover, .workbench-hover', { hasText: 'inside: IPv4 10.77.0.1 > 10.77.0.2 / VXLAN VNI 42' });
    await hover.first().waitFor({ timeout: 10000 });
    await page.screenshot({ path: join(RESULTS, 'tunnel-vxlan-tree.png') });
  });
});
