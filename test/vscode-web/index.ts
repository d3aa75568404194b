// Runs inside VS Code for the Web's extension host, a Web Worker (started by scripts/vscode/runWebTests.mjs): Mocha's
// browser build over the suites bundled with this file.
import 'mocha/mocha.js';

declare const mocha: {
  setup(options: { ui: string; reporter: string; timeout: number; color: boolean }): void;
  run(done: (failures: number) => void): void;
};

export async function run(): Promise<void> {
  mocha.setup({ ui: 'bdd', reporter: 'spec', timeout: 60000, color: false });
  // The suites register themselves with `describe` when loaded: after setup, which makes the globals.
  await import('./suites');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
