// What the extension host code uses beyond ES2022 that both of its platforms provide as globals: Node (where
// @types/node declares them) and a browser's Web Worker. The web build is type-checked with only these, so that
// nothing Node alone has can slip into the code it shares.
declare function setTimeout(callback: (...args: never[]) => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function structuredClone<T>(value: T): T;
declare function atob(text: string): string;
declare class TextEncoder {
  encode(text: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(bytes: Uint8Array): string;
}
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
