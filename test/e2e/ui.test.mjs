// End to end: a person's clicks in a real VS Code (code-server) in headless Chromium, with the extension loaded as a
// development extension. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manyConnections } from '../support/manyConnections.ts';
import { MermaidBrowser } from '../support/mermaidBrowser.ts';
import { diagramFrame, diagramItems, expectSimultaneousCloseDiagram, expectSimultaneousCloseTree, clickExplorerRow, explorerMenu, FIXTURES, openWorkbench, RESULTS, runCommand, runCommandAndPick, visualizeFromExplorer } from '../support/workbench.mjs';

let workbench;
let page;

describe('the extension in a real VS Code, driven like a person would', () => {
  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    workbench = await openWorkbench();
    page = workbench.page;
  });

  after(async () => workbench?.close());

  it('right-click on a capture → Visualize TCP Handshakes → the panel shows its diagram', async () => {
    await visualizeFromExplorer(page, 'simultaneous_close.pcap');
    await expectSimultaneousCloseDiagram(page);
    await page.screenshot({ path: join(RESULTS, 'diagram-light.png') });
  });

  it('the TCP Connections tree lists the connection and both endpoints\' histories', async () => {
    const texts = await expectSimultaneousCloseTree(page);
    assert.ok(texts.some((t) => t.includes('1 connection') && !t.includes('1 connections')), 'one connection, in the singular');
    // A history row says what caused the change and why before when (the end of a row is the first to be cut off).
    assert.ok(texts.some((t) => /^CLOSING#9 [a-z].* · \+\d+\.\d{6} s$/.test(t)), texts.filter((t) => t.startsWith('CLOSING')).join('\n'));
  });

  it('selecting a history entry highlights its step; clicking an arrow selects its state in the tree', async () => {
    const frame = diagramFrame(page);
    await page.locator('.pane-body .monaco-list-row', { hasText: 'CLOSING' }).first().click();
    const highlighted = frame.locator('#diagram .messageText.tcpviz-highlight');
    await highlighted.waitFor({ timeout: 20000 });
    assert.match(await highlighted.textContent(), /^#9 /, 'CLOSING came with packet 9');
    // Not only the label: the arrow's line and the note of the change it caused are marked too.
    assert.equal(await frame.locator('#diagram .tcpviz-highlight:is(.messageLine0, .messageLine1)').count(), 1);
    assert.deepEqual((await frame.locator('#diagram .noteText.tcpviz-highlight').allTextContents()).sort(), ['CLOSING', 'FIN_WAIT_1']);
    await frame.locator('#diagram .messageText', { hasText: /^#8 / }).click();
    await page.locator('.pane-body .monaco-list-row.selected', { hasText: 'FIN_WAIT_1' }).waitFor({ timeout: 20000 });
    // The highlight moved with the click: #8 and the notes it caused, nothing of #9 left.
    assert.deepEqual((await frame.locator('#diagram .messageText.tcpviz-highlight').allTextContents()).map((t) => t.split(' ')[0]), ['#8']);
    assert.deepEqual((await frame.locator('#diagram .noteText.tcpviz-highlight').allTextContents()).sort(), ['CLOSING · #8 arrived', 'FIN_WAIT_1']);
    // #8 changed both endpoints' states: the tree marks both rows with the "current step" arrow, not only the selected.
    const marked = () => page.evaluate(() => [...document.querySelectorAll('.pane-body .monaco-list-row')]
      .filter((row) => row.querySelector('.codicon-debug-stackframe'))
      .map((row) => `${row.querySelector('.label-name')?.textContent}${row.classList.contains('selected') ? ' (selected)' : ''}`));
    const waitForMarked = async (expected) => {
      let rows = [];
      for (let i = 0; i < 100 && JSON.stringify(rows) !== JSON.stringify(expected); i++) {
        await page.waitForTimeout(100);
        rows = (await marked()).sort();
      }
      assert.deepEqual(rows, expected);
    };
    await waitForMarked(['CLOSING', 'FIN_WAIT_1 (selected)']);
    await page.screenshot({ path: join(RESULTS, 'tree-marked.png') });
    // #5 changed no state: the states both endpoints were in as it passed, the later change (the server's) selected.
    await frame.locator('#diagram .messageText', { hasText: /^#5 / }).click();
    await waitForMarked(['ESTABLISHED', 'ESTABLISHED (selected)']);
    assert.deepEqual((await frame.locator('#diagram .messageText.tcpviz-highlight').allTextContents()).map((t) => t.split(' ')[0]), ['#5']);
    assert.equal(await frame.locator('#diagram .noteText.tcpviz-highlight').count(), 0, 'no note: #5 caused nothing');
  });

  it('a long connection turns pages; hovering an arrow shows the segment; the diagram zooms', async () => {
    const frame = diagramFrame(page);
    await page.keyboard.press('Control+Shift+E');
    await explorerMenu(page, 'zero_window.pcap', 'Visualize TCP Handshakes');
    await frame.locator('#pageLabel', { hasText: /page 1 of [2-9]/ }).waitFor({ timeout: 30000 });
    // A state note explains its state.
    await frame.locator('#diagram svg .noteText', { hasText: /^SYN_SENT$/ }).first().hover();
    await frame.locator('#details', { hasText: 'SYN_SENT: Sent a SYN' }).waitFor();
    const firstArrow = await frame.locator('#diagram svg .messageText').first().textContent();
    await frame.locator('#next').click();
    await frame.locator('#pageLabel', { hasText: /page 2 of/ }).waitFor();
    let secondArrow = firstArrow;
    for (let i = 0; i < 50 && secondArrow === firstArrow; i++) {
      await new Promise((r) => setTimeout(r, 100));
      secondArrow = await frame.locator('#diagram svg .messageText').first().textContent();
    }
    assert.notEqual(secondArrow, firstArrow, 'page 2 draws other segments');
    await frame.locator('#diagram svg .messageText').nth(2).hover();
    const details = frame.locator('#details');
    await details.waitFor({ state: 'visible' });
    assert.match(await details.textContent(), /seq \d+ \(raw \d+\)/);
    // Zoom draws the diagram larger: an arrow's label on screen grows by the factor shown.
    const label = frame.locator('#diagram svg .messageText').first();
    const before = (await label.boundingBox()).height;
    await frame.locator('#zoomIn').click();
    assert.equal(await frame.locator('#zoomReset').textContent(), '125%');
    const after = (await label.boundingBox()).height;
    assert.ok(Math.abs(after / before - 1.25) < 0.05, `label ${before} → ${after} px`);
    await frame.locator('#zoomReset').click();
  });

  it('Export Diagram… as Mermaid writes one valid diagram per page of a long connection', async () => {
    // The zero-window capture's diagram, on screen from the test before, has several pages.
    // A picker that loses the focus closes (a page drawn again in the panel can take it): a person opens it again.
    await runCommandAndPick(page, 'TCP: Export Diagram…', 'Mermaid (.mmd)');
    const input = page.locator('.quick-input-widget input');
    await page.waitForTimeout(500);
    await input.fill(join(workbench.workspace, 'zero.mmd'));
    await page.keyboard.press('Enter');
    let files = [];
    for (let i = 0; i < 100 && files.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 200));
      files = readdirSync(workbench.workspace).filter((f) => /^zero(-page-\d+)?\.mmd$/.test(f)).sort();
    }
    assert.ok(files.length >= 2, `one file per page: ${files}`);
    const mermaid = await MermaidBrowser.start();
    try {
      for (const file of files) {
        const text = readFileSync(join(workbench.workspace, file), 'utf8');
        assert.equal(text.match(/^sequenceDiagram$/gm)?.length, 1, `${file} holds exactly one diagram`);
        const result = await mermaid.render(text);
        assert.ok(result.ok && result.messages > 0, `${file}: ${result.error}`);
      }
    } finally {
      await mermaid.close();
    }
  });

  it('a lesson: the 4-way close draws FIN_WAIT_2 as the next thing after the ACK of the FIN (#7)', async () => {
    await runCommandAndPick(page, 'TCP: Visualize Scenario…', 'The graceful 4-way close');
    const frame = diagramFrame(page);
    await frame.locator('#diagram svg .messageText', { hasText: /^#7 / }).waitFor({ timeout: 30000 });
    await frame.locator('#diagram svg .noteText', { hasText: /^FIN_WAIT_2$/ }).waitFor({ timeout: 30000 });
    // The lesson in context: its title on the panel and its tab, its explanation in full above the diagram.
    assert.equal(await frame.locator('#title').textContent(), 'The graceful 4-way close');
    await page.locator('.tab', { hasText: 'TCP diagram The graceful 4-way close' }).waitFor();
    assert.match(await frame.locator('#explanationText').textContent(), /FIN/);
    assert.equal(await frame.locator('#explanation').isVisible(), true);
    // … and where the operating systems tell it otherwise, after it.
    assert.equal(await frame.locator('#osNote').isVisible(), true);
    assert.match(await frame.locator('#osNote').textContent(), /^Where operating systems differ: TIME_WAIT lasts 240 s by the RFC .* 60 s on Linux, 30 s on macOS/);
    const items = await diagramItems(page);
    const ack = items.findIndex((i) => i.kind === 'arrow' && i.text.startsWith('#7 '));
    assert.ok(ack >= 0, 'arrow #7 is drawn');
    assert.deepEqual(items[ack + 1] && [items[ack + 1].kind, items[ack + 1].text], ['note', 'FIN_WAIT_2'],
      `what follows #7: ${items.slice(ack + 1, ack + 3).map((i) => i.text)}`);
    const arrow = items[ack];
    const note = items[ack + 1];
    assert.ok(note.x < arrow.x, 'the note is on the client\'s side (left)');
    await page.screenshot({ path: join(RESULTS, 'lesson-four-way-close.png') });
  });

  it('Compare… draws the lesson as RFC 9293 and as Linux side by side: the same arrows, each column\'s own TIME_WAIT', async () => {
    const frame = diagramFrame(page);
    const singleWidth = () => frame.locator('#diagram > svg').evaluate((svg) => svg.getBoundingClientRect().width);
    const before = await singleWidth();
    await frame.locator('#compare').click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'RFC 9293 | Linux' }).first().click();
    await frame.locator('.compareColumn').nth(1).locator('svg .messageText').first().waitFor({ timeout: 30000 });
    // What a reader sees: two columns left and right, each under its profile's name, the same 11 arrows in each, and
    // the notes that differ (the RFC's 2×MSL = 240 s beside Linux's 60 s), in text as large as the single diagram's.
    const columns = await frame.locator('.compareColumn').evaluateAll((all) => all.map((column) => {
      const box = column.getBoundingClientRect();
      return {
        heading: column.querySelector('h2').textContent, left: box.left, right: box.right, top: box.top,
        arrows: column.querySelectorAll('.messageText').length,
        // A long note is drawn on two lines (two texts): read each note whole, its lines in order.
        timeWait: [...column.querySelectorAll('rect.note')].map((rect) => [...rect.parentElement.querySelectorAll('.noteText')].map((t) => t.textContent).join(' '))
          .filter((t) => t.startsWith('TIME_WAIT') || t.startsWith('CLOSED (')),
        smallestText: Math.min(...[...column.querySelectorAll('.messageText, .noteText')].map((t) => t.getBoundingClientRect().height)),
      };
    }));
    assert.deepEqual(columns.map((c) => c.heading), ['RFC 9293', 'Linux']);
    assert.ok(columns[0].right <= columns[1].left && Math.abs(columns[0].top - columns[1].top) < 2, 'side by side, tops level');
    assert.deepEqual(columns.map((c) => c.arrows), [11, 11]);
    assert.match(columns[0].timeWait.join(' | '), /TIME_WAIT \(2×MSL = 240 s; Linux: 60 s\) \| CLOSED \(2×MSL over at \+240/);
    assert.match(columns[1].timeWait.join(' | '), /TIME_WAIT \(Linux: 60 s\) \| CLOSED \(TIME_WAIT over at \+60/);
    for (const c of columns) assert.ok(c.smallestText >= 11, `${c.heading}: text ${c.smallestText} px high`);
    // No step mode or paging while comparing; the way back is named.
    assert.equal(await frame.locator('#steps').isVisible(), false);
    await page.screenshot({ path: join(RESULTS, 'compare-rfc-linux.png') });
    // Down at the close, where they differ: the RFC's 240 s TIME_WAIT beside Linux's 60 s, level with each other.
    const timeWaits = frame.locator('.compareColumn .noteText', { hasText: /^TIME_WAIT$/ });
    await timeWaits.first().scrollIntoViewIfNeeded();
    const [rfcTop, linuxTop] = await timeWaits.evaluateAll((all) => all.map((t) => t.getBoundingClientRect().top));
    assert.ok(Math.abs(rfcTop - linuxTop) < 2, `TIME_WAIT at ${rfcTop} and ${linuxTop} px`);
    await page.screenshot({ path: join(RESULTS, 'compare-rfc-linux-time-wait.png') });
    await frame.locator('#compareLeave').click();
    await frame.locator('#diagram > svg .messageText').first().waitFor({ timeout: 20000 });
    assert.equal(await frame.locator('.compareColumn').count(), 0);
    assert.equal(await frame.locator('#steps').isVisible(), true);
    // The single diagram as it was: its own zoom and spacing, not the comparison's.
    assert.ok(Math.abs((await singleWidth()) - before) < 1, `${await singleWidth()} px wide, ${before} px before`);
  });

  it('the profile picker shows each profile\'s figures: Linux\'s TIME_WAIT, SYN time, retries, timeout and delayed ACK', async () => {
    // The picker's rows, not the palette's row of the command itself (whose title names Linux too).
    await runCommandAndPick(page, 'TCP: Choose Simulator Profile (RFC, Linux, Windows, macOS)…', /^\s*Linux/, {
      check: async (row) => assert.match(await row.textContent(), /TIME_WAIT 60 s · SYN retried until 127 s · 15 data retries · timeout from the round trip, at least 200 ms · ACK of a FIN delayed 40 ms/),
    });
    // Chosen: the lesson on show is played again as Linux plays it; then back to the RFC.
    await diagramFrame(page).locator('#diagram > svg .noteText', { hasText: /^\(Linux: 60 s\)$|^TIME_WAIT \(Linux: 60 s\)$/ }).first().waitFor({ timeout: 30000 });
    await runCommandAndPick(page, 'TCP: Choose Simulator Profile (RFC, Linux, Windows, macOS)…', /^\s*RFC 9293/);
    await diagramFrame(page).locator('#diagram > svg .noteText', { hasText: /^TIME_WAIT \(2×MSL = 240 s; Linux: 60 s\)$/ }).first().waitFor({ timeout: 30000 });
  });

  it('step mode walks the 4-way close: both states under the participants, an explanation naming the rule; back restores them', async () => {
    const frame = diagramFrame(page);
    // The states the textbook draws after each of the lesson's 11 segments (client, server).
    const expected = [
      ['SYN_SENT', 'SYN_RECEIVED'], ['ESTABLISHED', 'SYN_RECEIVED'], ['ESTABLISHED', 'ESTABLISHED'], ['ESTABLISHED', 'ESTABLISHED'],
      ['ESTABLISHED', 'ESTABLISHED'], ['FIN_WAIT_1', 'CLOSE_WAIT'], ['FIN_WAIT_2', 'CLOSE_WAIT'], ['FIN_WAIT_2', 'CLOSE_WAIT'],
      ['FIN_WAIT_2', 'CLOSE_WAIT'], ['TIME_WAIT', 'LAST_ACK'], ['TIME_WAIT', 'CLOSED'],
    ];
    // What a reader sees: the counter, the states under the two boxes, the marked arrow, the dimmed ones, the text.
    const seen = () => frame.locator('body').evaluate(() => {
      const visible = (e) => e.getAttribute('visibility') !== 'hidden' && getComputedStyle(e).visibility !== 'hidden';
      // Left to right as on screen: the client's box is the left one.
      const byX = (selector) => [...document.querySelectorAll(selector)].sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left);
      const states = byX('#lifelines text.tcpviz-sticky-state').map((t) => t.textContent);
      const boxes = byX('#lifelines rect.tcpviz-sticky-state').map(visible);
      const under = byX('#lifelines rect.actor-top').map((r) => r.getBoundingClientRect());
      const labelled = byX('#lifelines text.tcpviz-sticky-state').map((t, i) => {
        const box = t.getBoundingClientRect();
        return Math.abs((box.left + box.right) / 2 - (under[i].left + under[i].right) / 2) < 2;
      });
      const labels = [...document.querySelectorAll('#diagram .messageText')];
      const number = (l) => l.textContent.split(' ')[0];
      return {
        counter: document.getElementById('stepCounter').textContent, states, boxes, labelled,
        marked: labels.filter((l) => l.classList.contains('tcpviz-highlight')).map(number),
        // Dimmed: under the veil (shown, mostly opaque), the whole label.
        dimmed: labels.filter((l) => {
          const veil = document.querySelector('#diagram .tcpviz-veil');
          if (!veil || veil.hidden || Number(getComputedStyle(veil).opacity) < 0.5) return false;
          const [v, b] = [veil.getBoundingClientRect(), l.getBoundingClientRect()];
          return b.top >= v.top && b.bottom <= v.bottom && b.left >= v.left && b.right <= v.right;
        }).map(number),
        text: document.getElementById('stepText').textContent,
        textShown: !document.getElementById('stepText').hidden,
      };
    });
    const expectStep = async (n) => {
      let now;
      for (let i = 0; i < 50; i++) {
        now = await seen();
        if (now.counter === `step ${n} of 11`) break;
        await page.waitForTimeout(100);
      }
      assert.equal(now.counter, `step ${n} of 11`);
      assert.deepEqual(now.states, expected[n - 1], `the states after #${n}`);
      assert.deepEqual(now.boxes, [true, true], 'both shown');
      assert.deepEqual(now.labelled, [true, true], 'each state centred under its own participant\'s box');
      assert.deepEqual(now.marked, [`#${n}`]);
      assert.deepEqual(now.dimmed, Array.from({ length: 11 - n }, (_, i) => `#${n + 1 + i}`), 'what comes later is dimmed');
      assert.ok(now.textShown && now.text.startsWith(`#${n} from the `), now.text);
      return now;
    };
    await frame.locator('#stepNext').click();
    await expectStep(1);
    // The keyboard, as in a slide show.
    for (let n = 2; n <= 7; n++) {
      await frame.locator('#viewport').press('ArrowRight');
      await expectStep(n);
    }
    const ackOfFin = await expectStep(7);
    assert.match(ackOfFin.text, /The client receives it: FIN_WAIT_1 → FIN_WAIT_2, .* \(RFC 9293 §3\.10\.7\.4\)\./);
    await page.screenshot({ path: join(RESULTS, 'step-mode.png') });
    await frame.locator('#viewport').press('ArrowLeft');
    const back = await expectStep(6);
    assert.match(back.text, /The client sends it: ESTABLISHED → FIN_WAIT_1, .*§3\.10\.4/);
    assert.match(back.text, /The server receives it: ESTABLISHED → CLOSE_WAIT, .*§3\.10\.7\.4/);
    await frame.locator('#viewport').press('End');
    await expectStep(11);
    await frame.locator('#viewport').press('Home');
    await expectStep(1);
  });

  it('predict mode asks for each state before showing it, scores a right and a wrong answer, and starts again on another connection', async () => {
    const frame = diagramFrame(page);
    const pick = (side, state) => frame.locator(`#quiz [data-side="${side}"] button[data-state="${state}"]`).click();
    const text = () => frame.locator('#stepText').textContent();
    // On at step 1 (the test before ended there): the next step is a question, its notes and all after hidden.
    await frame.locator('#stepPredict').click();
    await frame.locator('#stepCounter', { hasText: 'step 2 of 11' }).waitFor();
    assert.match(await text(), /^Predict: after #2, which state is each endpoint in\?/);
    assert.equal(await frame.locator('#quiz').isVisible(), true);
    const shownNotes = () => frame.locator('#diagram .noteText').evaluateAll((notes) =>
      notes.filter((n) => getComputedStyle(n).visibility !== 'hidden').map((n) => n.textContent));
    assert.deepEqual((await shownNotes()).filter((n) => /ESTABLISHED|FIN|WAIT|LAST_ACK/.test(n)), [], 'no answer on screen');
    await page.screenshot({ path: join(RESULTS, 'predict-mode.png') });
    await pick('client', 'ESTABLISHED');
    await pick('server', 'SYN_RECEIVED');
    await frame.locator('#quizScore', { hasText: 'score 2 of 2' }).waitFor();
    assert.match(await text(), /^✓ The client: ESTABLISHED\. Right\.\n✓ The server: SYN_RECEIVED\. Right\.\n#2 from the server: SYN,ACK/);
    assert.ok((await shownNotes()).includes('ESTABLISHED'), 'the answer shown once given');
    // The next question: the server's state after the client's ACK, answered wrong.
    await frame.locator('#viewport').press('ArrowRight');
    await frame.locator('#stepCounter', { hasText: 'step 3 of 11' }).waitFor();
    await pick('client', 'ESTABLISHED');
    await pick('server', 'SYN_RECEIVED');
    await frame.locator('#quizScore', { hasText: 'score 3 of 4' }).waitFor();
    const verdict = await text();
    assert.match(verdict, /^✓ The client: ESTABLISHED\. Right\.\n✗ The server: you said SYN_RECEIVED; it is ESTABLISHED\.\n/);
    assert.match(verdict, /The server receives it: SYN_RECEIVED → ESTABLISHED, .*§3\.10\.7\.4/, 'with the explanation');
    assert.equal(await frame.locator('#quiz button.wrong').textContent(), 'SYN_RECEIVED');
    await page.screenshot({ path: join(RESULTS, 'predict-answered.png') });
    // Another connection: the score starts again.
    await page.locator('.pane-body .monaco-list-row', { hasText: '#1 10.77.0.1:40005 → 10.77.0.2:8084' }).first().click();
    await frame.locator('#title', { hasText: /^#1 10\.77\.0\.1:40005 / }).waitFor({ timeout: 30000 });
    await frame.locator('#quizScore', { hasText: 'score 0 of 0' }).waitFor();
    await frame.locator('#stepPredict').click();
    assert.equal(await frame.locator('#quiz').isVisible(), false);
  });

  it('the other question: which arrow moves the client out of FIN_WAIT_1? A wrong arrow, then a right one', async () => {
    await runCommandAndPick(page, 'TCP: Visualize Scenario…', 'The graceful 4-way close');
    const frame = diagramFrame(page);
    await frame.locator('#title', { hasText: 'The graceful 4-way close' }).waitFor({ timeout: 30000 });
    await frame.locator('#stepNext').click();
    for (let n = 2; n <= 6; n++) await frame.locator('#viewport').press('ArrowRight');
    await frame.locator('#stepCounter', { hasText: 'step 6 of 11' }).waitFor();
    const text = () => frame.locator('#stepText').textContent();
    await frame.locator('#stepArrow').click();
    assert.equal(await text(), 'Which segment moves the client out of FIN_WAIT_1? Click its arrow.');
    await frame.locator('#diagram .messageText', { hasText: /^#8 / }).click();
    await frame.locator('#stepCounter', { hasText: 'step 7 of 11' }).waitFor();
    assert.match(await text(), /^✗ Not #8: #7 moves the client out of FIN_WAIT_1\.\n#7 from the server: ACK/);
    assert.equal(await frame.locator('#quizScore').textContent(), 'score 0 of 1');
    // The next change: the server's FIN moves the client out of FIN_WAIT_2.
    await frame.locator('#stepArrow').click();
    assert.equal(await text(), 'Which segment moves the client out of FIN_WAIT_2? Click its arrow.');
    await frame.locator('#diagram .messageText', { hasText: /^#10 / }).click();
    await frame.locator('#stepCounter', { hasText: 'step 10 of 11' }).waitFor();
    assert.match(await text(), /^✓ #10 moves the client out of FIN_WAIT_2\. Right\.\n/);
    assert.equal(await frame.locator('#quizScore').textContent(), 'score 1 of 2');
  });

  it('a link to a step, Ctrl+clicked in the editor: a Markdown note\'s and a scenario comment\'s open the panel at that step', async () => {
    const frame = diagramFrame(page);
    const atStep = async (counter, arrow) => {
      await frame.locator('#stepCounter', { hasText: counter }).waitFor({ timeout: 5000 });
      const marked = await frame.locator('#diagram .messageText.tcpviz-highlight').allTextContents();
      assert.ok(marked.length === 1 && marked[0].startsWith(`${arrow} `), marked.join());
      // Scrolled to and seen: what is drawn at the marked label's centre is that label (not clipped, not covered).
      const seen = await frame.locator('#diagram .messageText.tcpviz-highlight').evaluate((label) => {
        const box = label.getBoundingClientRect();
        return label.contains(document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2));
      });
      assert.ok(seen, `${arrow} is on screen`);
    };
    // Ctrl+click on a link as VS Code draws it (once the file's links are made, which the Markdown server takes a
    // moment to start for), until the panel is at the step.
    const follow = async (file, linkText, counter, arrow) => {
      await clickExplorerRow(page, file);
      const link = page.locator('.monaco-editor .view-line span.detected-link', { hasText: linkText }).first();
      for (let attempt = 1; ; attempt++) {
        // By position, as a hand does: VS Code's hover over the link ("Execute command") can lie across it.
        const box = await link.boundingBox({ timeout: 5000 }).catch(() => null);
        if (box) {
          await page.keyboard.down('Control');
          await page.mouse.click(box.x + 4, box.y + box.height / 2);
          await page.keyboard.up('Control');
        }
        const clicked = box !== null;
        const failure = clicked ? await atStep(counter, arrow).then(() => undefined, (e) => e) : 'no link to click';
        if (!failure) return;
        if (attempt === 6) {
          await page.screenshot({ path: join(RESULTS, 'step-link-failed.png') });
          assert.fail(`the link ${linkText} in ${file} did not open ${counter}: ${failure}`);
        }
      }
    };
    const args = encodeURIComponent(JSON.stringify({ source: 'four-way-close', connection: 1, packet: 7 }));
    writeFileSync(join(workbench.workspace, 'lesson-plan.md'), `# The 4-way close\n\nShow [the ACK of the FIN](command:tcpviz.showStep?${args}) first.\n`);
    await follow('lesson-plan.md', 'command:tcpviz.showStep', 'step 7 of 11', '#7');
    // A scenario's comment: #6 is its own packet 6, in a file that has not been opened as a diagram before.
    writeFileSync(join(workbench.workspace, 'crossing.tcpscenario'), [
      'title Crossing FINs', 'endpoint client 10.0.0.1:41234', 'endpoint server 10.0.0.2:80', 'server listen', 'client connect',
      '# The FINs cross (#4 and #5); then the ACKs cross too, #6 first.', 'client close & server close', 'wait 2msl', '',
    ].join('\n'));
    await follow('crossing.tcpscenario', '#6', 'step 6 of 7', '#6');
    await frame.locator('#title', { hasText: 'Crossing FINs' }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'step-link.png') });
  });

  it('switching to a dark theme shows the diagram in dark colours', async () => {
    const frame = diagramFrame(page);
    const label = frame.locator('#diagram svg .messageText').first();
    const fill = () => label.evaluate((t) => getComputedStyle(t).fill);
    const lightFill = await fill();
    await runCommandAndPick(page, 'Preferences: Color Theme', 'Dark Modern', { filter: 'Dark Modern' });
    await frame.locator('body.vscode-dark').waitFor({ timeout: 20000 });
    let darkFill = lightFill;
    for (let i = 0; i < 50 && darkFill === lightFill; i++) {
      await new Promise((r) => setTimeout(r, 100));
      darkFill = await fill();
    }
    // Light text on the dark page now (the channels of rgb(…) averaged: above the middle is light).
    const brightness = (rgb) => rgb.match(/[\d.]+/g).slice(0, 3).map(Number).reduce((a, b) => a + b) / 3;
    assert.ok(brightness(lightFill) < 128 && brightness(darkFill) > 128, `arrow labels ${lightFill} → ${darkFill}`);
    // The README's picture: the simultaneous close, its crossing FINs in view.
    await page.locator('.pane-body .monaco-list-row', { hasText: '10.77.0.1:40005 → 10.77.0.2:8084' }).first().click();
    const crossing = frame.locator('#diagram svg .messageText', { hasText: /^#9 / });
    await crossing.waitFor({ timeout: 30000 });
    await frame.locator('#diagram svg .noteText', { hasText: /^CLOSING · #8 arrived$/ }).waitFor();
    await frame.locator('#diagram svg .noteText', { hasText: /^CLOSING · #8 arrived$/ }).scrollIntoViewIfNeeded();
    // The whole width in view, as a reader of the README would want it.
    await frame.locator('#fit').click();
    await page.locator('.pane-body .monaco-list-row', { hasText: 'CLOSING' }).first().click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(RESULTS, 'diagram-dark.png') });
  });

  it('the panel is never lost: after a second Visualize, opening another capture leaves it open', async () => {
    await page.keyboard.press('Control+Shift+E');
    await visualizeFromExplorer(page, 'simultaneous_close.pcap');
    // Visualize shows the TCP Connections view: back to the explorer for the next file.
    await page.keyboard.press('Control+Shift+E');
    await visualizeFromExplorer(page, 'zero_window.pcap');
    await diagramFrame(page).locator('#title', { hasText: /^#1 10\.77\.0\.1:40015 / }).waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+Shift+E');
    const panelTab = page.locator('.tab', { hasText: /^TCP diagram / });
    await panelTab.first().waitFor();
    // A single click previews a file in the explorer, a double click opens it: neither replaces the panel.
    await clickExplorerRow(page, 'refused.pcapng');
    await clickExplorerRow(page, 'refused.pcapng', { clickCount: 2 });
    await page.locator('.tab', { hasText: 'refused.pcapng' }).first().waitFor({ timeout: 30000 });
    await page.screenshot({ path: join(RESULTS, 'panel-kept.png') });
    assert.equal(await panelTab.count(), 1, `the diagram panel is still open: ${JSON.stringify(await page.locator('.tab').allTextContents())}`);
    assert.equal(await panelTab.first().evaluate((tab) => tab.classList.contains('preview') || tab.querySelector('.italic') !== null), false, 'and not a preview tab');
  });

  it('the capture editor of a file with 1,500 connections lists 1,000 near the one shown and steps to the others', async () => {
    const copies = manyConnections(readFileSync(join(FIXTURES, 'simultaneous_close.pcap')), 1500, 40005);
    writeFileSync(join(workbench.workspace, 'many.pcap'), copies);
    await runCommand(page, 'View: Close All Editors');
    await page.keyboard.press('Control+Shift+E');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'many.pcap' }).dblclick({ timeout: 60000 });
    const frame = diagramFrame(page);
    const chooser = frame.locator('#choices');
    await frame.locator('#title', { hasText: /^#1 10\.77\.0\.1:20000 → / }).waitFor({ timeout: 60000 });
    const labels = await chooser.locator('option').allTextContents();
    assert.equal(labels.length, 1001, 'connections 1–1,000 and a step to those after');
    assert.match(labels[0], /^#1 10\.77\.0\.1:20000 → 10\.77\.0\.2:8084 \(complete\)$/);
    assert.equal(labels.at(-1), '↓ connections after #1000 (of 1500)');
    await chooser.selectOption({ index: 1000 });
    await frame.locator('#title', { hasText: /^#1001 10\.77\.0\.1:21000 → / }).waitFor({ timeout: 30000 });
    const around = await chooser.locator('option').allTextContents();
    assert.equal(around[0], '↑ connections before #501');
    assert.match(around[1], /^#501 /);
    assert.match(around.at(-1), /^#1500 /);
    assert.equal(await chooser.inputValue(), await chooser.locator('option', { hasText: /^#1001 / }).getAttribute('value'));
    // The search box beside it finds any of them, by port here, and the match opens.
    await frame.locator('#find').pressSequentially(':21234', { delay: 20 });
    let options = [];
    for (let i = 0; i < 100 && options.length !== 1; i++) {
      await page.waitForTimeout(100);
      options = await chooser.locator('option').allTextContents();
    }
    assert.deepEqual(options, ['#1235 10.77.0.1:21234 → 10.77.0.2:8084 (complete)'], 'only the match');
    await chooser.selectOption({ index: 0 });
    await frame.locator('#title', { hasText: /^#1235 10\.77\.0\.1:21234 → / }).waitFor({ timeout: 30000 });
    await frame.locator('#find').fill('no-such-connection');
    await chooser.locator('option', { hasText: 'no connection matches "no-such-connection"' }).waitFor({ state: 'attached', timeout: 20000 });
  });

  it('the tree finds one connection in 100,000 as the filter is typed, opens its diagram, sorts and groups them', async () => {
    // 99,998 copies of a short connection (11 packets, 0.92 s), then one with more packets (a loss: 42, 0.37 s) and one
    // that lasts longer (keep-alives: 14, 3.5 s). Their records follow the copies' (the same link type).
    const copies = manyConnections(readFileSync(join(FIXTURES, 'simultaneous_close.pcap')), 99_998, 40005);
    const records = (name) => readFileSync(join(FIXTURES, name)).subarray(24);
    writeFileSync(join(workbench.workspace, 'huge.pcap'), Buffer.concat([copies, records('data_loss.pcap'), records('keepalive.pcap')]));
    await runCommand(page, 'View: Close All Editors');
    await page.keyboard.press('Control+Shift+E');
    await visualizeFromExplorer(page, 'huge.pcap');
    const rows = page.locator('.pane-body .monaco-list-row');
    const source = rows.filter({ hasText: 'huge.pcap' });
    await source.filter({ hasText: '100,000 connections' }).waitFor({ timeout: 60000 });
    // Typed into the view's filter box: the tree follows as the words come.
    await runCommand(page, 'TCP: Filter Connections…');
    // The filter's own box, not the palette's that it takes the place of a moment later (typed into, that one lost the
    // first keys).
    const box = page.locator('.quick-input-widget input[placeholder^="address, port"]');
    await box.waitFor();
    await box.pressSequentially('10.77.1.1:57123', { delay: 20 });
    await source.filter({ hasText: '1 of 100,000 connections' }).waitFor({ timeout: 20000 });
    await page.keyboard.press('Enter');
    const found = rows.filter({ hasText: '#77124 10.77.1.1:57123 → 10.77.0.2:8084' });
    await found.waitFor({ timeout: 20000 });
    await page.screenshot({ path: join(RESULTS, 'tree-filter.png') });
    // The view says what it shows.
    await page.getByText('filter: 10.77.1.1:57123', { exact: true }).waitFor();
    await found.click();
    await diagramFrame(page).locator('#title', { hasText: /^#77124 10\.77\.1\.1:57123 → / }).waitFor({ timeout: 30000 });
    // Sorted: the connection with the most packets, or the longest, comes first, whatever its place in the file; the
    // file's order again at the end.
    await runCommand(page, 'TCP: Clear Filter');
    // The first connection under huge.pcap, opening the first group on the way if it is closed, as a person would.
    const firstRow = () => page.evaluate(() => {
      const all = [...document.querySelectorAll('.pane-body .monaco-list-row')];
      const at = all.findIndex((r) => r.textContent?.includes('huge.pcap'));
      const level = (r) => Number(r.getAttribute('aria-level'));
      if (at < 0) return {};
      for (let i = at + 1; i < all.length && level(all[i]) > level(all[at]); i++) {
        if (all[i].getAttribute('aria-expanded') === 'false' && !all[i].textContent?.includes('→')) return { open: all[i].id };
        if (all[i].textContent?.includes('→')) return { text: all[i].textContent };
      }
      return {};
    });
    const expectFirst = async (pattern, what) => {
      let row;
      for (let i = 0; i < 300 && !pattern.test(row ?? ''); i++) {
        await page.waitForTimeout(100);
        const first = await firstRow();
        if (first.open) await page.locator(`[id="${first.open}"]`).click().catch(() => undefined);
        row = first.text;
      }
      if (!pattern.test(row ?? '')) await page.screenshot({ path: join(RESULTS, 'tree-sort-failed.png') });
      assert.match(row ?? '', pattern, `${what}: ${row}`);
    };
    // Every source closed but huge.pcap, so that its first rows are in view whatever was revealed before.
    await page.locator('.part.sidebar').hover();
    await page.locator('.part.sidebar [aria-label="Collapse All"]').first().click();
    await source.first().click();
    await runCommandAndPick(page, 'TCP: Sort Connections By…', 'packets');
    await expectFirst(/^#99999 10\.77\.0\.1:40014 → 10\.77\.0\.2:8090complete · 42 packets · 0\.372 s$/, 'the most packets first');
    await runCommandAndPick(page, 'TCP: Sort Connections By…', 'duration');
    await expectFirst(/^#100000 10\.77\.0\.1:40016 → 10\.77\.0\.2:8092complete · 14 packets · 3\.522 s$/, 'the longest first');
    await page.getByText('sorted by duration', { exact: true }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'tree-sorted.png') });
    await runCommandAndPick(page, 'TCP: Sort Connections By…', 'start (as in the file)');
    await expectFirst(/^#1 10\.77\.0\.1:20000 → 10\.77\.0\.2:8084complete · 11 packets/, 'in the order of the file');
    // Grouped by outcome: the 100,000 in one group, the refused capture's in another.
    await runCommandAndPick(page, 'TCP: Group Connections By…', 'outcome');
    await rows.filter({ hasText: /^complete.*100,000 connections/ }).first().waitFor({ timeout: 30000 });
    await page.screenshot({ path: join(RESULTS, 'tree-grouped.png') });
    await runCommandAndPick(page, 'TCP: Group Connections By…', 'none');
    await source.filter({ hasText: /huge\.pcap100,000 connections/ }).waitFor({ timeout: 30000 });
  });

  it('Refresh reads a lesson and the captures again, says which file is gone, and leaves no progress behind; Remove All empties the tree', async () => {
    await runCommand(page, 'TCP: Remove All');
    const rows = page.locator('.pane-body .monaco-list-row');
    await rows.filter({ hasText: 'huge.pcap' }).waitFor({ state: 'detached', timeout: 20000 });
    await runCommandAndPick(page, 'TCP: Visualize Scenario…', 'The graceful 4-way close');
    writeFileSync(join(workbench.workspace, 'soon-gone.pcap'), readFileSync(join(FIXTURES, 'refused.pcap')));
    await visualizeFromExplorer(page, 'soon-gone.pcap');
    await rows.filter({ hasText: /soon-gone\.pcap1 connection$/ }).waitFor({ timeout: 30000 });
    rmSync(join(workbench.workspace, 'soon-gone.pcap'));
    await runCommand(page, 'TCP: Refresh');
    // What a person would see a few seconds on: the gone file left out of the tree, the lesson drawn again, no
    // "Reading…" or "Simulating…" left anywhere, and in the notifications (a toast may have gone by then) why.
    await rows.filter({ hasText: 'soon-gone.pcap' }).waitFor({ state: 'detached', timeout: 20000 });
    await rows.filter({ hasText: /The graceful 4-way close.*1 connection$/ }).waitFor({ timeout: 20000 });
    await page.waitForTimeout(3000);
    const busy = /Reading |Simulating /;
    assert.doesNotMatch(await page.locator('.part.statusbar').textContent(), busy, 'no progress in the status bar');
    await runCommand(page, 'Notifications: Show Notifications');
    const center = page.locator('.notifications-center');
    await center.getByText('Not read again, no longer there: soon-gone.pcap').waitFor({ timeout: 20000 });
    assert.doesNotMatch(await center.textContent(), busy, 'no progress notification');
    await page.screenshot({ path: join(RESULTS, 'refresh-gone.png') });
    await page.keyboard.press('Escape');
    await runCommand(page, 'TCP: Remove All');
    await rows.filter({ hasText: 'The graceful 4-way close' }).waitFor({ state: 'detached', timeout: 20000 });
  });
});
