// Renders the README's picture: a real capture's diagram, drawn by Mermaid in headless Chromium.
import { join } from 'node:path';
import { sequenceDiagram } from '../src/core/diagram/sequenceDiagram';
import { analyzeFile, LINUX_FIXTURES, ROOT } from '../test/support/files';
import { MermaidBrowser } from '../test/support/mermaidBrowser';

async function main(): Promise<void> {
  const analysis = await analyzeFile(join(LINUX_FIXTURES, 'simultaneous_close.pcap'));
  const [page] = sequenceDiagram(analysis.connections[0]!);
  const browser = await MermaidBrowser.start();
  try {
    await browser.screenshot(page!.text, join(ROOT, 'media', 'simultaneous-close.png'));
  } finally {
    await browser.close();
  }
}

void main();
