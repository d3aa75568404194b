import type { TimeFormat } from '../core/diagram/sequenceDiagram';
import { isProfileName, PROFILE_NAMES, type ProfileName } from '../core/scenario/profiles';

export type OutputFormat = 'json' | 'mermaid' | 'markdown' | 'text' | 'pcapng' | 'pcap';

export interface CliArgs {
  file: string;
  format: OutputFormat;
  connection: number | undefined;
  page: number | undefined;
  segments: boolean;
  budget: number;
  msl: number;
  relative: boolean;
  time: TimeFormat;
  /** A built-in scenario to run instead of a file. */
  scenario: string | undefined;
  /** Where --format pcapng or pcap writes. */
  out: string | undefined;
  /** Whose TCP a scenario's endpoints are, where the scenario does not say. */
  profile: ProfileName | undefined;
  /** Two profiles to play the scenario under, one after the other (over the scenario's own `profile` line). */
  compare: [ProfileName, ProfileName] | undefined;
}

export class UsageError extends Error {}

export const USAGE = `usage: tcpviz <capture | file.tcpscenario> [--format text|json|mermaid|markdown|pcapng|pcap] [--connection <id>] [--page <n>] [--no-segments]
              [--budget <messages per diagram page>] [--msl <seconds>] [--raw-seq] [--time relative|delta|absolute|none]
              [--profile rfc|linux|windows|macos] [--compare <profile>,<profile>]

       tcpviz --scenario <name> [options]      tcpviz --list-scenarios

Reads a pcap, pcapng, snoop or Network Monitor capture (gzip-compressed too), or simulates a TCP scenario, and shows every TCP connection
with both endpoints' RFC 9293 state history.
  --format text      a table of connections, outcomes and final states (default)
  --format json      everything: segments, analysis, state histories
  --format mermaid   Mermaid sequence diagrams, one per connection and page, each after a line
                     "%% connection <id>, page <n> of <pages>" when there are several
  --format markdown  one Markdown document: per connection a heading, a summary and a mermaid block per page
  --format pcapng --out <file> a scenario's segments as a pcapng (Ethernet, IPv4/IPv6, correct checksums) that
                               states when the simulation ended, so reading it back keeps TIME_WAIT's expiry
  --format pcap --out <file>   the same as a classic pcap, which ends at its last segment
  --connection <id>  only this connection
  --page <n>         only this page of each diagram (1-based)
  --no-segments      leave the segment arrays out of the JSON (and keep memory flat on huge captures)
  --budget <n>       most messages and notes per diagram page (default 300)
  --msl <seconds>    maximum segment lifetime; TIME_WAIT lasts 2×MSL (default 120, RFC 9293; Linux uses a 60 s TIME_WAIT)
  --raw-seq          raw 32-bit sequence numbers in diagrams instead of relative ones
  --time <format>    time on each arrow: since the first segment (relative, default), since the previous one (delta),
                     UTC time of day (absolute), or none
  --profile <name>   whose TCP plays a scenario where its file does not say (\`profile linux\`): rfc (default), linux,
                     windows or macos: their TIME_WAIT, retransmission timeouts and retries (see the README)
  --compare a,b      a scenario played under two profiles (e.g. rfc,linux), each report after a line naming it
                     ("== rfc ==", or "%% profile rfc" in Mermaid, "# Profile: RFC 9293" in Markdown)
Exit status: 0 read whole, 2 read with errors or not a capture, 1 usage error.`;

function positiveInteger(name: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} needs a positive integer`);
  return Number(value);
}

export function parseArgs(argv: readonly string[]): CliArgs | 'help' | 'list' {
  const args: CliArgs = {
    file: '', format: 'text', connection: undefined, page: undefined, segments: true, budget: 300, msl: 120, relative: true, time: 'relative',
    scenario: undefined, out: undefined, profile: undefined, compare: undefined,
  };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--format': {
        const format = value();
        if (format !== 'json' && format !== 'mermaid' && format !== 'markdown' && format !== 'text' && format !== 'pcapng' && format !== 'pcap') {
          throw new UsageError('--format must be json, mermaid, markdown, text, pcapng or pcap');
        }
        args.format = format;
        break;
      }
      case '--connection':
        args.connection = positiveInteger('--connection', value());
        break;
      case '--page':
        args.page = positiveInteger('--page', value());
        break;
      case '--budget':
        args.budget = positiveInteger('--budget', value());
        break;
      case '--profile': {
        const name = value() ?? '';
        if (!isProfileName(name)) throw new UsageError(`--profile must be ${PROFILE_NAMES.join(', ')}`);
        args.profile = name;
        break;
      }
      case '--compare': {
        const names = (value() ?? '').split(',');
        if (names.length !== 2 || !names.every(isProfileName)) throw new UsageError(`--compare needs two profiles, e.g. rfc,linux (${PROFILE_NAMES.join(', ')})`);
        args.compare = names as [ProfileName, ProfileName];
        break;
      }
      case '--msl': {
        const msl = Number(value());
        if (!Number.isFinite(msl) || msl <= 0) throw new UsageError('--msl needs a positive number of seconds');
        args.msl = msl;
        break;
      }
      case '--out': {
        const out = value();
        if (!out) throw new UsageError('--out needs a file name');
        args.out = out;
        break;
      }
      case '--list-scenarios':
        return 'list';
      case '--scenario': {
        const name = value();
        if (!name) throw new UsageError('--scenario needs a name (see --list-scenarios)');
        args.scenario = name;
        break;
      }
      case '--no-segments':
        args.segments = false;
        break;
      case '--raw-seq':
        args.relative = false;
        break;
      case '--time': {
        const time = value();
        if (time !== 'relative' && time !== 'delta' && time !== 'absolute' && time !== 'none') {
          throw new UsageError('--time must be relative, delta, absolute or none');
        }
        args.time = time;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        files.push(arg);
    }
  }
  if ((args.format === 'pcap' || args.format === 'pcapng') && !args.out) throw new UsageError(`--format ${args.format} needs --out <file>`);
  if (args.compare && (args.format === 'json' || args.format === 'pcap' || args.format === 'pcapng')) {
    throw new UsageError(`--compare writes text, mermaid or markdown, not ${args.format}`);
  }
  if (args.compare && args.scenario === undefined && !files[0]?.endsWith('.tcpscenario')) throw new UsageError('--compare plays a scenario: give --scenario <name> or a .tcpscenario file');
  if (args.scenario !== undefined) {
    if (files.length) throw new UsageError('give a file or --scenario, not both');
    args.file = `${args.scenario} (built-in scenario)`;
    return args;
  }
  if (files.length !== 1) throw new UsageError(files.length ? 'give exactly one capture file' : 'no capture file given');
  args.file = files[0]!;
  return args;
}
