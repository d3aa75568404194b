import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture, type AnalyzeOptions, type CaptureAnalysis } from '../../src/core/analyze';
import { fileChunks } from '../../src/node/fileChunks';

export const ROOT = join(__dirname, '..', '..');
export const LINUX_FIXTURES = join(ROOT, 'test', 'fixtures', 'linux');

export function analyzeFile(path: string, options: AnalyzeOptions = {}, chunkSize?: number): Promise<CaptureAnalysis> {
  return analyzeCapture(fileChunks(path, chunkSize), options);
}

export async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Names of the real Linux fixtures (each has NAME.pcap, NAME.pcapng and NAME.kernel.json). */
export function linuxFixtureNames(): string[] {
  return readdirSync(LINUX_FIXTURES).filter((f) => f.endsWith('.kernel.json')).map((f) => f.replace('.kernel.json', '')).sort();
}
