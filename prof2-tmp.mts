import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const text = readFileSync('/tmp/page1.mmd', 'utf8');
const ctx = await chromium.launchPersistentContext('/tmp/profdir', { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu'] });
const page = ctx.pages()[0] ?? await ctx.newPage();
await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
await page.addScriptTag({ path: '/work/main/node_modules/mermaid/dist/mermaid.js' });
console.log(await page.evaluate(async (source) => {
  const m = (globalThis as any).mermaid;
  m.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'base', look: 'classic', sequence: { useMaxWidth: false }, themeVariables: { background: '#111111', primaryColor: '#222222', primaryTextColor: '#333333', primaryBorderColor: '#444444', lineColor: '#555555', textColor: '#666666', mainBkg: '#222222', actorBkg: '#222222', actorBorder: '#444444', actorTextColor: '#333333', actorLineColor: '#555555', signalColor: '#555555', signalTextColor: '#666666', noteBkgColor: '#777777', noteTextColor: '#888888', noteBorderColor: '#999999', labelBoxBkgColor: '#222222', labelBoxBorderColor: '#444444', labelTextColor: '#333333', loopTextColor: '#666666', sequenceNumberColor: '#111111' } });
  const { svg } = await m.render('dX', source);
  document.getElementById('out')!.innerHTML = svg;
  const style = document.querySelector('#out style')!.textContent!;
  const withColours = style.split('}').filter((r) => /#[0-9a-f]{3,8}|rgb|hsl/i.test(r)).map((r) => r.trim().slice(0, 200));
  const classes = new Set<string>();
  for (const e of document.querySelectorAll('#out svg *')) classes.add(`${e.tagName}.${e.getAttribute('class') ?? ''} fill=${e.getAttribute('fill') ?? ''} stroke=${e.getAttribute('stroke') ?? ''}`);
  return withColours.join('\n') + '\n----\n' + [...classes].join('\n');
}, text));
await ctx.close();
