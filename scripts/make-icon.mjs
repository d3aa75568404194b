// Renders media/icon.svg to the 128×128 media/icon.png that the extension manifest names (run once after editing it).
import { readFileSync } from 'node:fs';
import { launchBrowser } from './vscode/browser.mjs';

const browser = await launchBrowser();
const page = browser.pages()[0] ?? (await browser.newPage());
await page.setViewportSize({ width: 128, height: 128 });
await page.setContent(`<body style="margin:0;background:transparent">${readFileSync('media/icon.svg', 'utf8')}</body>`);
await page.locator('svg').screenshot({ path: 'media/icon.png', omitBackground: true });
await browser.close();
