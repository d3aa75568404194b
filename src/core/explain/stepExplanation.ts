// A step of a connection explained in plain words, made from the model rather than written per lesson: what the
// segment is, what it changed at each endpoint and by which rule of RFC 9293's event processing (§3.10), and what the
// analysis flags on it mean, as Wireshark names them.
import { flagNames } from '../decode/tcpHeader';
import { fill } from '../diagram/diagramWords';
import type { Connection } from '../tcp/connection';
import { placeNotes } from '../diagram/notePlacement';
import { isInjected } from '../tcp/endpointModel';
import type { AnalysisFlag, HistoryEntry } from '../tcp/segment';
import type { TcpState } from '../tcp/states';
import { timeWaitOf } from '../scenario/profiles';

/** Every phrase of an explanation, in English; a caller gives them in another language. `{0}`… are filled in. */
export const ENGLISH_STEP_WORDS = {
  client: 'client',
  server: 'server',
  what: '#{0} from the {1}: {2}.',
  syn: 'it opens the {0}\'s side and fixes its initial sequence number',
  fin: 'the {0} has no more data to send',
  rst: 'it resets the connection',
  data: 'it carries {0} bytes of data (seq {1}–{2})',
  acksSyn: 'it acknowledges the {0}\'s SYN (ack {1})',
  acksFin: 'it acknowledges the {0}\'s FIN (ack {1})',
  acks: 'it acknowledges every byte before {0}',
  lost: 'It is lost on the way: the {0} never receives it.',
  sends: 'The {0} sends it: {1} → {2}, {3} (RFC 9293 §{4}).',
  receives: 'The {0} receives it: {1} → {2}, {3} (RFC 9293 §{4}).',
  receivedBefore: 'The {0} has received #{1} by now: {2} → {3}, {4} (RFC 9293 §{5}).',
  unchanged: 'No state changes: client {0}, server {1}.',
  activeOpen: 'an active open (connect) sends a SYN',
  synInListen: 'a SYN arriving at a listening port is answered with SYN,ACK',
  synInSynSent: 'a SYN without ACK while its own SYN is out: a simultaneous open',
  synAckInSynSent: 'a SYN,ACK that acknowledges its SYN completes its handshake',
  ackOfSyn: 'an ACK that acknowledges its SYN completes the handshake',
  activeClose: 'its application closes first: it sends a FIN',
  passiveClose: 'its application closes after the peer: it sends its FIN',
  ackOfFinInFinWait1: 'the ACK of its FIN: its side is closed, the peer\'s still open',
  ackOfFinInClosing: 'the ACK of its FIN after both FINs crossed: it waits 2×MSL',
  ackOfFinInLastAck: 'the ACK of its FIN, the last one: the connection is gone',
  finInEstablished: 'the peer\'s FIN: the peer has closed its side, this side may still send',
  finInFinWait1: 'the peer\'s FIN before the ACK of its own: a simultaneous close',
  finInFinWait2: 'the peer\'s FIN after its own was acknowledged: it waits 2×MSL',
  finAndAckInFinWait1: 'the peer\'s FIN, acknowledging its own: it waits 2×MSL',
  refused: 'a RST,ACK that acknowledges its SYN: the port is closed (connection refused)',
  reset: 'a RST in the window, at exactly the next sequence number expected (RFC 5961 §3): the connection is reset',
  resetToListen: 'a RST to a connection opened from LISTEN: back to listening',
  abort: 'its application aborts: it sends a RST',
  timeWaitOver: '2×MSL has passed',
  otherChange: 'by the state machine',
  crossed: 'The {0} had sent #{1} before #{2} arrived: the two crossed in flight.',
  timeWaitOf: 'As {1} plays it, the {0} holds TIME_WAIT {2} s (not the RFC\'s 2×MSL).',
  retransmission: 'Wireshark: "TCP Retransmission": sent again, its first copy unacknowledged too long (lost, or only late).',
  fastRetransmission: 'Wireshark: "TCP Fast Retransmission": sent again at once after duplicate ACKs said a segment was missing.',
  spuriousRetransmission: 'Wireshark: "TCP Spurious Retransmission": sent again although the first copy had already arrived.',
  outOfOrder: 'Wireshark: "TCP Out-Of-Order": it arrived after a segment that follows it.',
  duplicateAck: 'Wireshark: "TCP Dup ACK": the same acknowledgement again, saying a segment is missing.',
  zeroWindow: 'Wireshark: "TCP ZeroWindow": its sender has no room left; the peer must stop sending.',
  zeroWindowProbe: 'Wireshark: "TCP ZeroWindowProbe": one byte sent into a closed window, to learn when it opens again.',
  zeroWindowProbeAck: 'Wireshark: "TCP ZeroWindowProbeAck": the answer to a zero-window probe: the window is still closed.',
  windowFull: 'Wireshark: "TCP Window Full": this segment fills the receiver\'s whole window.',
  windowUpdate: 'Wireshark: "TCP Window Update": only the window changed: the receiver has room again.',
  keepAlive: 'Wireshark: "TCP Keep-Alive": one old byte again after a silence, to see whether the peer is still there.',
  keepAliveAck: 'Wireshark: "TCP Keep-Alive ACK": the peer is still there.',
  lostSegment: 'Wireshark: "TCP Previous segment not captured": bytes before this one are missing from the capture.',
  ackLostSegment: 'Wireshark: "TCP ACKed unseen segment": it acknowledges bytes the capture never saw.',
  reusedPorts: 'Wireshark: "TCP Port numbers reused": a new connection on the ports of an old one.',
  anomaly: 'The model cannot explain it: {0}.',
  forged: 'Not the {0}\'s own: judged by the {0}\'s own sequence space, a middlebox or an attacker injected it. The {0}\'s state does not change; the {1} judges it as RFC 5961 says.',
};

export type StepWords = typeof ENGLISH_STEP_WORDS;
type Rule = Exclude<keyof StepWords, 'client' | 'server' | 'what' | 'syn' | 'fin' | 'rst' | 'data' | 'acksSyn' | 'acksFin'
  | 'acks' | 'lost' | 'sends' | 'receives' | 'receivedBefore' | 'unchanged' | 'crossed' | 'timeWaitOf' | 'anomaly' | 'forged' | FlagWord>;
type FlagWord = 'retransmission' | 'fastRetransmission' | 'spuriousRetransmission' | 'outOfOrder' | 'duplicateAck'
  | 'zeroWindow' | 'zeroWindowProbe' | 'zeroWindowProbeAck' | 'windowFull' | 'windowUpdate' | 'keepAlive' | 'keepAliveAck'
  | 'lostSegment' | 'ackLostSegment' | 'reusedPorts';

const FLAG_WORDS: Record<AnalysisFlag, FlagWord> = {
  retransmission: 'retransmission', fast_retransmission: 'fastRetransmission', spurious_retransmission: 'spuriousRetransmission',
  out_of_order: 'outOfOrder', duplicate_ack: 'duplicateAck', zero_window: 'zeroWindow', zero_window_probe: 'zeroWindowProbe',
  zero_window_probe_ack: 'zeroWindowProbeAck', window_full: 'windowFull', window_update: 'windowUpdate', keep_alive: 'keepAlive',
  keep_alive_ack: 'keepAliveAck', lost_segment: 'lostSegment', ack_lost_segment: 'ackLostSegment', reused_ports: 'reusedPorts',
};

/** The section of RFC 9293 whose rule each change follows (§3.10: event processing; §3.10.7.x: a segment arrives). */
export const RULE_SECTIONS: Record<Rule, string> = {
  activeOpen: '3.10.1', synInListen: '3.10.7.2', synInSynSent: '3.10.7.3', synAckInSynSent: '3.10.7.3',
  ackOfSyn: '3.10.7.4', activeClose: '3.10.4', passiveClose: '3.10.4', ackOfFinInFinWait1: '3.10.7.4',
  ackOfFinInClosing: '3.10.7.4', ackOfFinInLastAck: '3.10.7.4', finInEstablished: '3.10.7.4', finInFinWait1: '3.10.7.4',
  finInFinWait2: '3.10.7.4', finAndAckInFinWait1: '3.10.7.4', refused: '3.10.7.3', reset: '3.10.7.4', resetToListen: '3.10.7.4',
  abort: '3.10.5', timeWaitOver: '3.10.8', otherChange: '3.3.2',
};

/** Which rule moved an endpoint from `from` to `to`, by the segment it sent (`sent`) or received. */
export function ruleOf(from: TcpState, to: TcpState, sent: boolean, reason: string): Rule {
  if (sent) {
    if (to === 'SYN_SENT') return 'activeOpen';
    if (to === 'FIN_WAIT_1') return 'activeClose';
    if (to === 'LAST_ACK') return 'passiveClose';
    if (to === 'CLOSED' && reason.includes('RST')) return 'abort';
    if (to === 'SYN_RECEIVED') return 'synInListen';
    // A capture of one direction: its ACK shows the SYN,ACK it received.
    if (from === 'SYN_SENT' && to === 'ESTABLISHED') return 'synAckInSynSent';
    return 'otherChange';
  }
  if (to === 'CLOSED' && from === 'SYN_SENT') return 'refused';
  if (to === 'LISTEN' && from === 'SYN_RECEIVED') return 'resetToListen';
  if (to === 'CLOSED' && reason.includes('RST')) return 'reset';
  const rules: Partial<Record<`${TcpState}>${TcpState}`, Rule>> = {
    'LISTEN>SYN_RECEIVED': 'synInListen', 'SYN_SENT>SYN_RECEIVED': 'synInSynSent', 'SYN_SENT>ESTABLISHED': 'synAckInSynSent',
    'SYN_RECEIVED>ESTABLISHED': 'ackOfSyn', 'FIN_WAIT_1>FIN_WAIT_2': 'ackOfFinInFinWait1', 'CLOSING>TIME_WAIT': 'ackOfFinInClosing',
    'LAST_ACK>CLOSED': 'ackOfFinInLastAck', 'ESTABLISHED>CLOSE_WAIT': 'finInEstablished', 'SYN_RECEIVED>CLOSE_WAIT': 'finInEstablished',
    'FIN_WAIT_1>CLOSING': 'finInFinWait1', 'FIN_WAIT_2>TIME_WAIT': 'finInFinWait2', 'FIN_WAIT_1>TIME_WAIT': 'finAndAckInFinWait1',
    'TIME_WAIT>CLOSED': 'timeWaitOver',
  };
  return rules[`${from}>${to}`] ?? 'otherChange';
}

/** One step: the states both endpoints are in after it, the changes it caused, and the whole explanation. */
export interface Step {
  client: TcpState;
  server: TcpState;
  /** The endpoints whose state this segment changed. */
  changed: Array<'client' | 'server'>;
  text: string;
}

/**
 * Explains the steps of `connection` (its segments, by index). A change is shown at the step where the diagram draws
 * its note (`placeNotes`): a sender's with its segment, a receiver's right after its cause, or after its own segments
 * that crossed the cause in flight. Each endpoint's state after a step is the last change shown by then. Made for a
 * page at a time: the histories are swept once.
 */
export function stepExplainer(connection: Connection, words: StepWords = ENGLISH_STEP_WORDS): (index: number) => Step {
  const { segments } = connection;
  // The histories once: entries are told apart by identity below.
  const histories = { client: connection.clientHistory, server: connection.serverHistory };
  // Each change at the step where the diagram draws its note (a timer's, with no segment, at none).
  const shown = new Map<number, Array<{ side: 'client' | 'server'; from: TcpState; entry: HistoryEntry }>>();
  const stepOf = new Map<HistoryEntry, number>();
  for (const note of placeNotes(segments, histories.client, histories.server).notes) {
    const history = histories[note.side];
    for (const entry of note.entries) {
      if (entry.segment === null) continue;
      stepOf.set(entry, note.at);
      const list = shown.get(note.at) ?? [];
      list.push({ side: note.side, from: history[history.indexOf(entry) - 1]!.state, entry });
      shown.set(note.at, list);
    }
  }
  const stateAfter = (history: readonly HistoryEntry[], index: number): TcpState =>
    history.filter((e, i) => i === 0 || (stepOf.has(e) && stepOf.get(e)! <= index)).at(-1)!.state;
  // Where each side's SYN and FIN sit in its sequence space (relative), to say what an ACK acknowledges.
  const synOf = { client: -1, server: -1 };
  const finOf = { client: -1, server: -1 };
  for (const s of segments) {
    const side = s.fromClient ? 'client' : 'server';
    if (s.flags & 0x002) synOf[side] = 0;
    if (s.flags & 0x001 && finOf[side] < 0) finOf[side] = s.relSeq + s.len;
  }
  return (index) => {
    const s = segments[index]!;
    const sender = s.fromClient ? 'client' : 'server';
    const peer = s.fromClient ? 'server' : 'client';
    const role = (side: 'client' | 'server') => words[side];
    const what: string[] = [];
    if (s.flags & 0x004) what.push(words.rst);
    if (s.flags & 0x002) what.push(fill(words.syn, role(sender)));
    if (s.len > 0) what.push(fill(words.data, s.len, s.relSeq, s.relSeq + s.len - 1));
    if (s.flags & 0x001) what.push(fill(words.fin, role(sender)));
    if (s.flags & 0x010 && !(s.flags & 0x004)) {
      if (synOf[peer] === 0 && s.relAck === 1) what.push(fill(words.acksSyn, role(peer), s.relAck));
      else if (finOf[peer] >= 0 && s.relAck === finOf[peer] + 1) what.push(fill(words.acksFin, role(peer), s.relAck));
      else what.push(fill(words.acks, s.relAck));
    }
    const lines = [fill(words.what, s.packet, role(sender), [flagNames(s.flags).join(','), ...what].join('; '))];
    if (connection.lost?.has(index)) lines.push(fill(words.lost, role(peer)));
    const changes = shown.get(index) ?? [];
    for (const { side, from, entry } of changes) {
      const cause = segments[entry.segment!]!;
      const sent = (side === 'client') === cause.fromClient;
      const rule = ruleOf(from, entry.state, sent, entry.reason);
      const section = RULE_SECTIONS[rule];
      if (sent) lines.push(fill(words.sends, role(side), from, entry.state, words[rule], section));
      else if (cause.index === index) lines.push(fill(words.receives, role(side), from, entry.state, words[rule], section));
      else {
        lines.push(fill(words.receivedBefore, role(side), cause.packet, from, entry.state, words[rule], section));
        // Its own segment between the cause and now: sent before the cause arrived.
        const crossing = segments.slice(cause.index + 1, index + 1).find((o) => o.fromClient === (side === 'client'));
        if (crossing) lines.push(fill(words.crossed, role(side), crossing.packet, cause.packet));
      }
      const own = entry.state === 'TIME_WAIT' ? timeWaitOf(entry.reason) : undefined;
      if (own) lines.push(fill(words.timeWaitOf, role(side), own.profile, own.seconds));
    }
    const client = stateAfter(histories.client, index);
    const server = stateAfter(histories.server, index);
    if (changes.length === 0) lines.push(fill(words.unchanged, client, server));
    for (const flag of s.analysis) lines.push(words[FLAG_WORDS[flag]]);
    for (const anomaly of s.anomalies) {
      lines.push(isInjected({ anomalies: [anomaly] }) ? fill(words.forged, role(sender), role(peer)) : fill(words.anomaly, anomaly));
    }
    return { client, server, changed: changes.map((c) => c.side), text: lines.join('\n') };
  };
}
