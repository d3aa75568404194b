// With VS Code's display language set to Korean (the language of the study note this project grew from), the
// extension speaks Korean. The real Korean language pack cannot be downloaded here; test/fixtures/language-pack-ko
// makes Korean a display language, and the extension's own strings do the rest.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagramFrame, koreanLanguagePack, openPalette, openWorkbench, ROOT, runCommandAndPick, visualizeFromExplorer, VISUALIZE_KO } from '../support/workbench.mjs';

let workbench;

describe('VS Code in Korean', () => {
  before(async () => {
    workbench = await openWorkbench({ languagePack: koreanLanguagePack() });
  });

  after(async () => workbench?.close());

  it('shows the extension\'s command titles and its view in Korean', async () => {
    const { page } = workbench;
    const input = page.locator('.quick-input-widget input');
    const offered = (title) => page.locator('.quick-input-list .monaco-list-row', { hasText: title });
    // The titles appear once the extension has registered: ask again until they are there. The palette computes its
    // list when it opens, so each try closes and opens it again (typing the same filter changes nothing: seen on a
    // cold machine, where the first try came before the extension was known). A workbench whose extension host came
    // up without the extension is reloaded once, as a person would. Each title is typed whole: the palette draws only
    // the rows in view, and there are more TCP commands than fit.
    for (let i = 0; i < 120 && !(await offered('TCP: 캡처 시각화…').count()); i++) {
      if (i === 40) {
        await page.reload();
        await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      }
      if (await input.isVisible()) await page.keyboard.press('Escape');
      await openPalette(page);
      await input.fill('>TCP: 캡처 시각화');
      await page.waitForTimeout(500);
    }
    await page.screenshot({ path: join(ROOT, 'test-results', 'korean-palette.png') });
    assert.ok(await offered('TCP: 캡처 시각화…').count(), 'TCP: 캡처 시각화… is offered');
    for (const title of ['TCP: 시나리오 시각화…', 'TCP: 새 시나리오', 'TCP: 다이어그램 내보내기…', 'TCP: 연결 필터…', 'TCP: 모두 제거']) {
      await input.fill(`>${title}`);
      await offered(title).first().waitFor({ timeout: 10000 });
    }
    await page.keyboard.press('Escape');
  });

  it('draws the diagram\'s own words in Korean', async () => {
    const { page } = workbench;
    await visualizeFromExplorer(page, 'simultaneous_close.pcap', VISUALIZE_KO);
    const frame = diagramFrame(page);
    await frame.locator('#diagram svg .noteText', { hasText: '연결 수립' }).first().waitFor({ timeout: 30000 });
    const notes = await frame.locator('#diagram svg .noteText').allTextContents();
    assert.ok(notes.includes('연결 해제'), notes.join(' | '));
    assert.ok(notes.includes('CLOSING · #8 도착'), notes.join(' | '));
    assert.ok(notes.some((n) => n.startsWith('TIME_WAIT (2×MSL = 240초')), notes.join(' | '));
    const title = await frame.locator('#diagram svg').textContent();
    assert.match(title, /연결 1: 10\.77\.0\.1:40005 → 10\.77\.0\.2:8084/);
    assert.match(title, /#8 · #9 전송 중에 엇갈림/);
    // The hover card of an arrow and the tree's words too.
    await frame.locator('#diagram svg .messageText', { hasText: /^#2 / }).hover();
    const card = frame.locator('#details');
    await card.waitFor({ state: 'visible' });
    assert.match(await card.textContent(), /^#2 SYN,ACK · 보낸 쪽 10\.77\.0\.2:8084seq 0 \(원시값 \d+\) · ack 1 \(원시값 \d+\)길이 0 · 윈도우 \d+ \((원시값 \d+ × \d+|스케일 없음)\)/);
    await page.locator('.pane-body .monaco-list-row', { hasText: '10.77.0.1:40005 → 10.77.0.2:8084' }).first().waitFor();
    assert.match(await page.locator('.pane-body .monaco-list-row', { hasText: '10.77.0.1:40005 → 10.77.0.2:8084' }).first().textContent(), /정상 종료 · 패킷 11개/);
    await page.screenshot({ path: join(ROOT, 'test-results', 'korean-diagram.png') });
  });

  it('offers the lessons in Korean and draws a lesson with its Korean title', async () => {
    const { page } = workbench;
    await runCommandAndPick(page, 'TCP: 시나리오 시각화…', '정상적인 4-way 종료', {
      check: async (row) => assert.match(await row.textContent(), /서버의 FIN을 받은 뒤에야 TIME_WAIT/),
    });
    const frame = diagramFrame(page);
    await frame.locator('#diagram svg .noteText', { hasText: /^FIN_WAIT_2$/ }).waitFor({ timeout: 30000 });
    assert.match(await frame.locator('#diagram svg').textContent(), /정상적인 4-way 종료/);
    // Where the operating systems differ, in Korean too, with the panel's Compare… button in Korean.
    assert.match(await frame.locator('#osNote').textContent(), /^운영체제마다 다른 점: TIME_WAIT는 RFC\(2×MSL\)/);
    assert.equal(await frame.locator('#compare').textContent(), '비교…');
    await page.screenshot({ path: join(ROOT, 'test-results', 'korean-lesson.png') });
  });
});
