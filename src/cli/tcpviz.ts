import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { analyzeCapture, type CaptureAnalysis } from '../core/analyze';
import { analyzeScenario } from '../core/scenario/analyzeScenario';
import { BUILTIN_SCENARIOS, builtinScenario } from '../core/scenario/builtins';
import { pcapBytes, pcapngBytes } from '../core/scenario/writePcap';
import { faultText } from '../core/capture/record';
import { sequenceDiagram, type DiagramOptions } from '../core/diagram/sequenceDiagram';
import { markdownSection } from '../core/report/markdownReport';
import { connectionJsonText, reportHeadJson } from '../core/report/jsonReport';
import { textReport, type ReportHead } from '../core/report/textReport';
import type { Connection } from '../core/tcp/connection';
import { parseArgs, USAGE, UsageError, type CliArgs } from './args';
import { fileChunks } from '../node/fileChunks';
import { PROFILES } from '../core/scenario/profiles';

const encoder = new TextEncoder();

/**
 * Output encoded into 1 MB buffers and written in large pieces: a capture with 100,000 connections must not make
 * 100,000 small writes, nor one giant string.
 */
class Output {
  private static readonly SIZE = 1 << 20;
  private buffer = Buffer.allocUnsafe(Output.SIZE);
  private used = 0;

  async add(text: string): Promise<void> {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + 3 * text.length > Output.SIZE) {
      await this.flush();
      if (3 * text.length > Output.SIZE) return this.write(Buffer.from(text));
    }
    this.used += encoder.encodeInto(text, this.buffer.subarray(this.used)).written;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.buffer.subarray(0, this.used);
    // The written buffer is handed over, not reused: stdout may still be sending it.
    this.buffer = Buffer.allocUnsafe(Output.SIZE);
    this.used = 0;
    await this.write(full);
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (!process.stdout.write(bytes)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}

/**
 * JSON written one connection at a time, so a capture with many connections never builds one giant string. The
 * summary fields are indented; each connection is one compact line, which keeps huge reports fast and greppable.
 */
async function writeJson(out: Output, args: CliArgs, head: ReportHead, connections: readonly Connection[]): Promise<void> {
  await out.add(`${JSON.stringify(reportHeadJson(args.file, head, args.msl), null, 2).slice(0, -2)},\n  "connections": [`);
  for (let i = 0; i < connections.length; i++) {
    await out.add(`${i ? ',' : ''}\n    ${connectionJsonText(connections[i]!, args.segments)}`);
  }
  await out.add(`${connections.length ? '\n  ' : ''}]\n}\n`);
}

/** The diagrams' options from the command line; `brokenOff` is why a damaged capture could not be read further. */
function diagramOptions(args: CliArgs, brokenOff: string | undefined): DiagramOptions {
  return { budget: args.budget, msl: args.msl, relative: args.relative, timeFormat: args.time, brokenOff };
}

async function writeMermaid(out: Output, args: CliArgs, chosen: readonly Connection[], brokenOff: string | undefined): Promise<void> {
  let shown = 0;
  for (const connection of chosen) {
    const pages = sequenceDiagram(connection, diagramOptions(args, brokenOff));
    // --page picks that page of each connection that has it.
    for (const page of pages) {
      if (args.page !== undefined && page.page !== args.page) continue;
      if (chosen.length > 1 || pages.length > 1) await out.add(`%% connection ${connection.id}, page ${page.page} of ${page.pages}\n`);
      await out.add(`${page.text}\n`);
      shown++;
    }
  }
  if (shown === 0 && args.page !== undefined) throw new UsageError(`no connection has a page ${args.page}`);
}

/** One Markdown document: the file's name as its title, then each connection's section (written one at a time). */
async function writeMarkdown(out: Output, args: CliArgs, chosen: readonly Connection[], brokenOff: string | undefined): Promise<void> {
  await out.add(`# ${basename(args.file || args.scenario || '')}\n`);
  let sections = 0;
  for (const connection of chosen) {
    const pages = sequenceDiagram(connection, diagramOptions(args, brokenOff));
    const shown = pages.filter((page) => args.page === undefined || page.page === args.page).map((page) => page.text);
    if (shown.length === 0) continue;
    sections++;
    const { id, client, server, outcome, packetCount: packets, duration, states, title } = connection;
    await out.add(`\n${markdownSection({ id, client, server, outcome, packets, duration, states, title }, shown, 2)}`);
  }
  if (sections === 0 && args.page !== undefined) throw new UsageError(`no connection has a page ${args.page}`);
}

/** A file system error as a person would say it ("no such file"), not as Node names it (ENOENT). */
function inWords(error: unknown): string {
  const words: Record<string, string> = {
    ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory', ENOSPC: 'no space left on the device', EROFS: 'a read-only file system',
  };
  const code = (error as NodeJS.ErrnoException).code;
  return (code && words[code]) ?? (error as Error).message;
}

async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs | 'help' | 'list';
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      // One line and where to look: the whole help after every slip buries the line that matters.
      process.stderr.write(`tcpviz: ${error.message} (tcpviz --help lists the options)\n`);
      return 1;
    }
    throw error;
  }
  const out = new Output();
  if (args === 'help' || args === 'list') {
    await out.add(args === 'help' ? `${USAGE}\n` : BUILTIN_SCENARIOS.map((s) => `${s.name.padEnd(24)}${s.title}\n`).join(''));
    await out.flush();
    return 0;
  }
  if (args.scenario !== undefined && !builtinScenario(args.scenario)) {
    process.stderr.write(`tcpviz: there is no built-in scenario "${args.scenario}" (see --list-scenarios)\n`);
    return 1;
  }
  try {
    if (args.scenario === undefined && !(await stat(args.file)).isFile()) throw new Error('not a regular file (a FIFO, a device or a directory): it is not read');
  } catch (error) {
    process.stderr.write(`tcpviz: cannot read ${args.file}: ${inWords(error)}\n`);
    return 1;
  }
  try {
    const head = await run(args, out);
    if (head === 'not a capture' || head === 'too large') return 2;
    if (head === 'no such connection') return 1;
    // A scenario's errors were told above, with their line and column.
    const told = args.scenario !== undefined || args.file.endsWith('.tcpscenario');
    for (const e of head.errors) if (args.format !== 'text' && !told) process.stderr.write(`tcpviz: error at byte offset ${e.offset}: ${e.message}\n`);
    return head.errors.length > 0 ? 2 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tcpviz: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

type Outcome = ReportHead | 'not a capture' | 'no such connection' | 'too large';

/** The most segments `tcpviz` keeps for a report that lists them (some 325 bytes of memory each). */
const MOST_SEGMENTS_KEPT = 2_000_000;

function checkResult(args: CliArgs, file: string, notCapture: boolean, head: ReportHead, ids: readonly number[]): Outcome | undefined {
  if (notCapture) {
    process.stderr.write(`tcpviz: ${basename(file)}: ${head.errors[0]?.message ?? 'not a capture file'}\n`);
    return 'not a capture';
  }
  if (args.connection !== undefined && !ids.includes(args.connection)) {
    process.stderr.write(`tcpviz: there is no connection ${args.connection} (the capture has ${ids.length})\n`);
    return 'no such connection';
  }
  return undefined;
}

/**
 * A scenario played under each of two profiles, each report after a line that names it (a built-in lesson's note on
 * where the OSes differ first); the first problem wins.
 */
async function compare(args: CliArgs, out: Output): Promise<Outcome> {
  let result: Outcome | undefined;
  const note = args.scenario === undefined ? undefined : builtinScenario(args.scenario)?.osNote;
  if (note && args.format !== 'json' && args.format !== 'pcap' && args.format !== 'pcapng') {
    const said = `Where operating systems differ: ${note}`;
    await out.add(`${args.format === 'mermaid' ? `%% ${said}` : args.format === 'markdown' ? `> ${said}\n` : said}\n\n`);
  }
  for (const profile of args.compare!) {
    const named = args.format === 'mermaid' ? `%% profile ${profile}` : args.format === 'markdown' ? `# Profile: ${PROFILES[profile].label}\n` : `== ${profile} ==`;
    await out.add(`${result === undefined ? '' : '\n'}${named}\n`);
    const outcome = await run({ ...args, compare: undefined, profile }, out, true);
    if (result === undefined || typeof outcome === 'string') result = outcome;
  }
  return result!;
}

/** Reads the capture through the core and writes the chosen format. */
async function run(args: CliArgs, out: Output, profileOverScenario = false): Promise<Outcome> {
  if (args.compare) return compare(args, out);
  const keepSegments = args.format === 'mermaid' || args.format === 'markdown' || (args.format === 'json' && args.segments);
  const scenarioText = args.scenario !== undefined ? builtinScenario(args.scenario)!.text
    : args.file.endsWith('.tcpscenario') ? await readFile(args.file, 'utf8') : undefined;
  let analysis: CaptureAnalysis;
  if (scenarioText !== undefined) {
    const result = analyzeScenario(scenarioText, { msl: args.msl, ...(args.profile ? { profile: args.profile } : {}), profileOverScenario });
    for (const e of [...result.scenarioErrors, ...(result.stopped ? [result.stopped] : [])]) {
      process.stderr.write(`${args.file}:${e.at.line}:${e.at.column}: ${e.detail}\n`);
    }
    if (result.scenarioErrors.length) return 'not a capture';
    analysis = result.analysis;
    if (args.format === 'pcap' || args.format === 'pcapng') {
      const { packets, endTime } = result.simulation!;
      try {
        await writeFile(args.out!, args.format === 'pcapng' ? pcapngBytes(packets, endTime) : pcapBytes(packets));
      } catch (error) {
        throw new UsageError(`cannot write ${args.out}: ${inWords(error)}`);
      }
      process.stderr.write(`tcpviz: wrote ${result.simulation!.packets.length} packets to ${args.out}\n`);
    }
  } else {
    if (args.format === 'pcap' || args.format === 'pcapng') throw new UsageError(`--format ${args.format} exports a scenario; this is a capture already`);
    analysis = await analyzeCapture(fileChunks(args.file), {
      msl: args.msl, keepSegments, keepSegmentsOf: keepSegments ? args.connection : undefined,
      keepLimit: { bytes: Infinity, segments: MOST_SEGMENTS_KEPT },
    });
    if (analysis.segmentsDropped) {
      // Never die of memory: refuse the report, say what would work.
      const one = args.connection === undefined;
      const hint = args.format === 'json' ? (one ? '--no-segments, or --connection <id> for one connection' : '--no-segments')
        : (one ? '--connection <id> for one connection' : '--format json --no-segments for its summary');
      const where = one ? '' : ` in connection ${args.connection}`;
      process.stderr.write(`tcpviz: ${basename(args.file)} holds more than ${MOST_SEGMENTS_KEPT.toLocaleString('en')} segments${where}: too many to keep for --format ${args.format}; use ${hint}\n`);
      return 'too large';
    }
  }
  const { format, compressed, packets, decode, errors, cancelled } = analysis;
  const head: ReportHead = { format, compressed, packets, decode, errors, cancelled };
  const problem = checkResult(args, args.file, analysis.notCapture, head, analysis.connections.map((c) => c.id));
  if (problem === 'not a capture' && args.format === 'json') {
    // A script that asked for JSON gets it, with the error in it, whatever the file was.
    await writeJson(out, args, head, []);
    await out.flush();
  }
  if (problem) return problem;
  const chosen = analysis.connections.filter((c) => args.connection === undefined || c.id === args.connection);
  // A capture's read error is where the file stopped being readable (a scenario's errors are in its text).
  const brokenOff = format && errors[0] ? faultText(errors[0]) : undefined;
  if (args.format === 'json') await writeJson(out, args, head, chosen);
  else if (args.format === 'mermaid') await writeMermaid(out, args, chosen, brokenOff);
  else if (args.format === 'markdown') await writeMarkdown(out, args, chosen, brokenOff);
  else if (args.format === 'pcap' || args.format === 'pcapng') return head;
  else for (const text of textReport(args.file, head, chosen, args.msl)) await out.add(text);
  await out.flush();
  return head;
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

