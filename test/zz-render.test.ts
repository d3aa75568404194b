import { it } from 'node:test';
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
const ROOT = '/work/main';
it('shots', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.setContent('<!doctype html><html><body style="background:white"><div id="out"></div></body></html>');
  await page.addScriptTag({ path: join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
  for (const [name, args] of JSON.parse(process.env.JOBS!) as Array<[string, string[]]>) {
    const text = execFileSync('node', [join(ROOT, 'dist/cli/tcpviz.js'), ...args, '--format', 'mermaid'], { encoding: 'utf8' }).split(/^%%.*$/m).filter((t) => t.trim())[Number(process.env.PAGE ?? 0)]!;
    await page.evaluate(async (src) => {
      const m = (globalThis as any).mermaid;
      m.initialize({ startOnLoad: false });
      const { svg } = await m.render('d' + Math.random().toString(36).slice(2), src);
      document.getElementById('out')!.innerHTML = svg;
    }, text);
    await page.locator('#out svg').screenshot({ path: `/tmp/shots/${name}.png` });
  }
  await browser.close();
});
