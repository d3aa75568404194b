import { basename } from 'node:path';
import { analyzeCapture, type CaptureAnalysis } from '../core/analyze';
import { sequenceDiagram } from '../core/diagram/sequenceDiagram';
import { connectionJson, jsonReport } from '../core/report/jsonReport';
import { textReport } from '../core/report/textReport';
import { parseArgs, USAGE, UsageError, type CliArgs } from './args';
import { fileChunks } from './fileChunks';

/** Output collected into large writes: a capture with 100,000 connections must not make 100,000 small ones. */
class Output {
  private parts: string[] = [];
  private size = 0;

  async add(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}

/**
 * JSON written one connection at a time, so a capture with many connections never builds one giant string. The
 * summary fields are indented; each connection is one compact line, which keeps huge reports fast and greppable.
 */
async function writeJson(out: Output, args: CliArgs, analysis: CaptureAnalysis): Promise<void> {
  const { connections: _omit, ...head } = jsonReport(args.file, { ...analysis, connections: [] }, args.msl, { segments: args.segments });
  const headText = JSON.stringify(head, null, 2);
  await out.add(`${headText.slice(0, -2)},\n  "connections": [`);
  let first = true;
  for (const connection of analysis.connections) {
    if (args.connection !== undefined && connection.id !== args.connection) continue;
    await out.add(`${first ? '\n    ' : ',\n    '}${JSON.stringify(connectionJson(connection, args.segments))}`);
    first = false;
  }
  await out.add(`${first ? '' : '\n  '}]\n}\n`);
}

async function writeMermaid(out: Output, args: CliArgs, analysis: CaptureAnalysis): Promise<void> {
  const chosen = analysis.connections.filter((c) => args.connection === undefined || c.id === args.connection);
  for (const connection of chosen) {
    const pages = sequenceDiagram(connection, { budget: args.budget, msl: args.msl, relative: args.relative });
    for (const page of pages) {
      if (args.page !== undefined && page.page !== args.page) continue;
      if (chosen.length > 1 || pages.length > 1) await out.add(`%% connection ${connection.id}, page ${page.page} of ${page.pages}\n`);
      await out.add(`${page.text}\n`);
    }
    if (args.page !== undefined && args.page > pages.length) throw new UsageError(`connection ${connection.id} has ${pages.length} page(s), not ${args.page}`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tcpviz: ${error.message}\n${USAGE}\n`);
      return 1;
    }
    throw error;
  }
  const out = new Output();
  if (args === 'help') {
    await out.add(`${USAGE}\n`);
    await out.flush();
    return 0;
  }
  const msl = args.msl;
  let analysis: CaptureAnalysis;
  try {
    analysis = await analyzeCapture(fileChunks(args.file), { msl, keepSegments: args.segments || args.format === 'mermaid' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`tcpviz: cannot read ${args.file}: ${code ?? (error as Error).message}\n`);
    return 1;
  }
  if (analysis.notCapture) {
    process.stderr.write(`tcpviz: ${basename(args.file)}: ${analysis.errors[0]?.message ?? 'not a capture file'}\n`);
    return 2;
  }
  if (args.connection !== undefined && !analysis.connections.some((c) => c.id === args.connection)) {
    process.stderr.write(`tcpviz: there is no connection ${args.connection} (the capture has ${analysis.connections.length})\n`);
    return 1;
  }
  try {
    if (args.format === 'json') await writeJson(out, args, analysis);
    else if (args.format === 'mermaid') await writeMermaid(out, args, analysis);
    else await out.add(textReport(args.file, analysis, msl));
    await out.flush();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tcpviz: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  for (const e of analysis.errors) if (args.format !== 'text') process.stderr.write(`tcpviz: error at byte offset ${e.offset}: ${e.message}\n`);
  return analysis.errors.length > 0 ? 2 : 0;
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // A closed pipe (`tcpviz … | head`) is the reader's choice, not a failure.
  process.exit(error.code === 'EPIPE' ? 0 : 2);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tcpviz: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
