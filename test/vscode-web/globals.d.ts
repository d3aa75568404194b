// The Web Worker's console, where Mocha's reporter writes too (the suites' lib has no DOM types).
declare const console: { log(...parts: unknown[]): void };
