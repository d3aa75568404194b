import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './files';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium from reaching for the network (this machine has none) or needing a GPU. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export interface RenderResult {
  ok: boolean;
  error?: string;
  svg?: string;
  messages: number;
  notes: number;
  /** Participant names as drawn (each participant appears at the top and the bottom). */
  actors: string[];
  /** The text of every message and note, in the order drawn. */
  labels: string[];
  /** The drawing's size (its viewBox). */
  viewBox: string;
  placeholder: boolean;
}

/** Mermaid itself (the bundle npm installs) in a real headless Chromium: the judge of what is valid Mermaid. */
export class MermaidBrowser {
  private constructor(private readonly context: BrowserContext, private readonly page: Page, private readonly dir: string) {}

  static async start(): Promise<MermaidBrowser> {
    const dir = mkdtempSync(join(tmpdir(), 'tcpviz-chromium-'));
    const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
    await page.evaluate(() => {
      (globalThis as any).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    });
    return new MermaidBrowser(context, page, dir);
  }

  async render(text: string): Promise<RenderResult> {
    return this.page.evaluate(async (source) => {
      const mermaid = (globalThis as any).mermaid;
      try {
        await mermaid.parse(source);
        const { svg } = await mermaid.render(`d${Math.random().toString(36).slice(2)}`, source);
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        return {
          ok: true,
          svg,
          messages: doc.querySelectorAll('.messageText').length,
          notes: doc.querySelectorAll('.noteText').length,
          actors: [...doc.querySelectorAll('text.actor')].map((t) => t.textContent ?? ''),
          labels: [...doc.querySelectorAll('.messageText, .noteText')].map((t) => t.textContent ?? ''),
          viewBox: doc.documentElement.getAttribute('viewBox') ?? '',
          placeholder: svg.includes('Maximum text size in diagram exceeded'),
        };
      } catch (error) {
        return { ok: false, error: String((error as Error)?.message ?? error), messages: 0, notes: 0, actors: [], labels: [], viewBox: '', placeholder: false };
      }
    }, text);
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
