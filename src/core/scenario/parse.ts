import { ipv4Bytes, ipv6Bytes } from '../decode/address';
import { isProfileName, PROFILE_NAMES } from './profiles';
import { ScenarioError, type AppCall, type EndpointDecl, type Position, type Scenario, type SeqValue, type Step } from './ast';

/** The most one `send` may ask for: some 34,000 full segments and their ACKs, within the simulator's packet limit. */
export const MOST_BYTES_SENT = 50_000_000;

const FLAGS = new Set(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR']);
const APP_CALLS = new Set(['listen', 'connect', 'send', 'shutdown', 'close', 'abort', 'keepalive', 'pause', 'resume']);
const KEYWORDS = new Set(['title', 'profile', 'endpoint', 'delay', 'wait', 'lose', 'duplicate', 'reorder', 'inject']);

interface Token {
  text: string;
  at: Position;
}

/** Splits a line into words (and `&`, `->`), dropping a `#` comment; each word keeps its column. */
function tokenize(line: string, lineNumber: number): Token[] {
  const tokens: Token[] = [];
  const re = /->|&|[^\s&#]+/g;
  const code = line.replace(/#.*$/, '');
  for (let m = re.exec(code); m; m = re.exec(code)) tokens.push({ text: m[0], at: { line: lineNumber, column: m.index + 1 } });
  return tokens;
}

/** `20ms`, `1.5s`, `2msl`. */
function duration(token: Token | undefined, after: Position, allowMsl: boolean): number | 'msl2' {
  if (!token) throw new ScenarioError(after, 'a duration is missing (e.g. 20ms, 1s' + (allowMsl ? ', 2msl)' : ')'));
  if (allowMsl && /^2msl$/i.test(token.text)) return 'msl2';
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(token.text);
  if (!m) throw new ScenarioError(token.at, `"${token.text}" is not a duration (e.g. 20ms, 1s${allowMsl ? ', 2msl' : ''})`);
  return Number(m[1]) / (m[2] === 'ms' ? 1000 : 1);
}

function flagList(token: Token): string[] {
  const flags = token.text.toUpperCase().split(',');
  for (const f of flags) if (!FLAGS.has(f)) throw new ScenarioError(token.at, `"${f}" is not a TCP flag (SYN, ACK, FIN, RST, PSH, URG, ECE, CWR)`);
  return flags;
}

function seqValue(text: string, at: Position): SeqValue {
  const m = /^([+-]?)(\d+)$/.exec(text);
  if (!m) throw new ScenarioError(at, `"${text}" is not a sequence number: write a number, or +n / -n relative to the next one`);
  const n = Number(m[2]);
  if (!m[1] && n > 0xffffffff) throw new ScenarioError(at, `${n} does not fit in 32 bits`);
  return m[1] ? { relative: m[1] === '-' ? -n : n } : { absolute: n };
}

/**
 * Parses a `.tcpscenario` file. Never returns half a scenario: the first mistake is thrown as a ScenarioError with its
 * line and column. `parseScenario` collects every mistake instead, for diagnostics as you type.
 */
export function parseScenarioStrict(text: string): Scenario {
  const result = parseScenario(text);
  if (result.errors.length) throw result.errors[0];
  return result.scenario;
}

export function parseScenario(text: string): { scenario: Scenario; errors: ScenarioError[] } {
  const scenario: Scenario = { title: undefined, endpoints: [], steps: [] };
  const errors: ScenarioError[] = [];
  const names = new Map<string, EndpointDecl>();
  const lines = text.split(/\r?\n/);
  const known = (token: Token | undefined, after: Position): string => {
    if (!token) throw new ScenarioError(after, 'an endpoint name is missing');
    if (!names.has(token.text)) {
      throw new ScenarioError(token.at, `"${token.text}" is not an endpoint: declare it first with "endpoint ${token.text}"`);
    }
    return token.text;
  };
  const end = (tokens: Token[], used: number) => {
    if (tokens.length > used) throw new ScenarioError(tokens[used]!.at, `unexpected "${tokens[used]!.text}"`);
  };
  const lineEnd = (tokens: Token[], lineNumber: number): Position => {
    const last = tokens.at(-1);
    return last ? { line: lineNumber, column: last.at.column + last.text.length } : { line: lineNumber, column: 1 };
  };

  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const titleMatch = /^\s*title\s+(.+?)\s*$/.exec(line.replace(/#.*$/, ''));
    const tokens = tokenize(line, lineNumber);
    if (tokens.length === 0) return;
    try {
      if (titleMatch) {
        scenario.title = titleMatch[1];
        return;
      }
      const [first, second] = tokens;
      const word = first!.text;
      const afterLine = lineEnd(tokens, lineNumber);
      switch (word) {
        case 'endpoint': {
          if (!second) throw new ScenarioError(afterLine, 'an endpoint needs a name');
          if (!/^[A-Za-z][\w-]*$/.test(second.text)) throw new ScenarioError(second.at, `"${second.text}" is not a name (letters, digits, _ and -)`);
          if (KEYWORDS.has(second.text)) throw new ScenarioError(second.at, `"${second.text}" is a statement, not a name`);
          if (names.has(second.text)) throw new ScenarioError(second.at, `endpoint "${second.text}" is declared twice`);
          if (names.size === 2) throw new ScenarioError(second.at, 'a scenario has two endpoints');
          let address: string | undefined;
          let port: number | undefined;
          // Its profile may follow the name or the address.
          const named = tokens.at(-1)!.text;
          const profile = tokens.length > 2 && isProfileName(named) ? named : undefined;
          const fields = profile ? tokens.slice(0, -1) : tokens;
          const third = fields[2];
          if (third) {
            const m = /^(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(third.text);
            const valid = m && Number(m[3]) <= 65535 && (m[1] !== undefined ? ipv6Bytes(m[1]) : ipv4Bytes(m[2]!));
            if (!valid) throw new ScenarioError(third.at, `"${third.text}" is not an address:port (10.0.0.1:80 or [2001:db8::1]:80)${profile ? '' : ` or a profile (${PROFILE_NAMES.join(', ')})`}`);
            address = m[1] ?? m[2];
            port = Number(m[3]);
            const other = scenario.endpoints.find((e) => e.address !== undefined);
            if (other && other.address!.includes(':') !== address!.includes(':')) {
              throw new ScenarioError(third.at, `"${second.text}" and "${other.name}" must use the same IP version: one connection is IPv4 or IPv6`);
            }
          }
          const extra = fields[third ? 3 : 2];
          if (extra) throw new ScenarioError(extra.at, `"${extra.text}" is not a profile (${PROFILE_NAMES.join(', ')})`);
          const decl: EndpointDecl = { name: second.text, address, port, profile, at: second.at };
          names.set(decl.name, decl);
          scenario.endpoints.push(decl);
          return;
        }
        case 'profile': {
          if (!second) throw new ScenarioError(afterLine, `which profile? ${PROFILE_NAMES.join(', ')}`);
          if (!isProfileName(second.text)) throw new ScenarioError(second.at, `"${second.text}" is not a profile (${PROFILE_NAMES.join(', ')})`);
          if (scenario.profile) throw new ScenarioError(first!.at, 'the profile is chosen twice');
          scenario.profile = second.text;
          end(tokens, 2);
          return;
        }
        case 'delay': {
          // delay 20ms | delay a -> b 20ms
          if (tokens[2]?.text === '->') {
            const from = known(second, afterLine);
            const to = known(tokens[3], afterLine);
            scenario.steps.push({ kind: 'delay', from, to, seconds: duration(tokens[4], afterLine, false) as number, at: first!.at });
            end(tokens, 5);
          } else {
            scenario.steps.push({ kind: 'delay', from: undefined, to: undefined, seconds: duration(second, afterLine, false) as number, at: first!.at });
            end(tokens, 2);
          }
          return;
        }
        case 'wait':
          scenario.steps.push({ kind: 'wait', seconds: duration(second, afterLine, true), at: first!.at });
          end(tokens, 2);
          return;
        case 'lose':
        case 'duplicate':
        case 'reorder': {
          // lose next a [FLAGS]
          if (second?.text !== 'next') throw new ScenarioError(second?.at ?? afterLine, `write "${word} next <endpoint> [FLAGS]"`);
          const from = known(tokens[2], afterLine);
          const flags = tokens[3] ? flagList(tokens[3]) : [];
          scenario.steps.push({ kind: word, from, flags, at: first!.at });
          end(tokens, tokens[3] ? 4 : 3);
          return;
        }
        case 'inject': {
          // inject a RST seq=+0 ack=+0 len=0
          const from = known(second, afterLine);
          if (!tokens[2]) throw new ScenarioError(afterLine, 'which flags? e.g. "inject a RST seq=+100"');
          const flags = flagList(tokens[2]);
          const step: Extract<Step, { kind: 'inject' }> = { kind: 'inject', from, flags, seq: undefined, ack: undefined, len: 0, at: first!.at };
          for (const t of tokens.slice(3)) {
            const m = /^(seq|ack|len)=(.+)$/.exec(t.text);
            if (!m) throw new ScenarioError(t.at, `"${t.text}" is not seq=…, ack=… or len=…`);
            const valueAt = { line: lineNumber, column: t.at.column + m[1]!.length + 1 };
            if (m[1] === 'len') {
              if (!/^\d+$/.test(m[2]!) || Number(m[2]) > 65495) throw new ScenarioError(valueAt, 'len is a number of bytes, at most 65495 (what one IP packet holds)');
              step.len = Number(m[2]);
            } else {
              step[m[1] as 'seq' | 'ack'] = seqValue(m[2]!, valueAt);
            }
          }
          scenario.steps.push(step);
          return;
        }
        default: {
          // <endpoint> <call> [bytes] (& <endpoint> <call> …)
          const groups: Token[][] = [[]];
          for (const t of tokens) {
            if (t.text === '&') groups.push([]);
            else groups.at(-1)!.push(t);
          }
          const calls = groups.map((group) => appStep(group, afterLine));
          scenario.steps.push(calls.length === 1 ? calls[0]! : { kind: 'together', steps: calls, at: first!.at });
        }
      }
    } catch (error) {
      if (error instanceof ScenarioError) errors.push(error);
      else throw error;
    }
  });

  function appStep(group: Token[], afterLine: Position): Extract<Step, { kind: 'app' }> {
    const [who, what, amount] = group;
    if (!who) throw new ScenarioError(afterLine, 'an endpoint and a call are missing around "&"');
    if (!names.has(who.text)) {
      throw new ScenarioError(who.at, `"${who.text}" is neither a statement (endpoint, delay, wait, lose, duplicate, reorder, inject) nor a declared endpoint`);
    }
    if (!what || !APP_CALLS.has(what.text)) {
      throw new ScenarioError(what?.at ?? afterLine, `what does ${who.text} do? (listen, connect, send <bytes>, shutdown, close, abort, keepalive <idle>, pause, resume)`);
    }
    let call: AppCall;
    if (what.text === 'close' && amount) {
      if (amount.text !== 'on' || group[3]?.text.toUpperCase() !== 'FIN') throw new ScenarioError(amount.at, 'write "close" or "close on FIN"');
      call = { kind: 'closeOnFin' };
      end(group, 4);
    } else if (what.text === 'keepalive') {
      const seconds = duration(amount, afterLine, false) as number;
      // An idle time of zero would re-arm the timer at the same instant for ever.
      if (seconds < 0.001) throw new ScenarioError(amount!.at, 'keepalive needs an idle time of at least 1ms');
      call = { kind: 'keepalive', seconds };
      end(group, 3);
    } else if (what.text === 'send') {
      if (!amount || !/^\d+$/.test(amount.text) || Number(amount.text) === 0) {
        throw new ScenarioError(amount?.at ?? afterLine, 'send needs a positive number of bytes');
      }
      if (Number(amount.text) > MOST_BYTES_SENT) {
        throw new ScenarioError(amount.at, `at most ${MOST_BYTES_SENT.toLocaleString('en')} bytes in one send: more would pass the simulator's limit of packets`);
      }
      call = { kind: 'send', bytes: Number(amount.text) };
      end(group, 3);
    } else {
      call = { kind: what.text as Exclude<AppCall['kind'], 'send'> } as AppCall;
      end(group, 2);
    }
    return { kind: 'app', endpoint: who.text, call, at: who.at };
  }

  if (errors.length === 0 && scenario.endpoints.length !== 2) {
    errors.push(new ScenarioError({ line: 1, column: 1 }, `a scenario declares two endpoints ("endpoint client", "endpoint server"); this one declares ${scenario.endpoints.length}`));
  }
  return { scenario, errors };
}
