/**
 * Every phrase a diagram writes besides numbers, flags and TCP's own state names, in English. `{0}`, `{1}`, … stand for
 * the values put in. A caller can give them in another language (the extension gives them in the user's).
 */
export const ENGLISH_WORDS = {
  title: 'Connection {0}: {1} → {2}',
  page: '{0} (page {1} of {2})',
  setUp: 'connection set-up',
  teardown: 'teardown',
  continued: 'continued: client {0}, server {1}',
  crossed: '#{0} and #{1} crossed in flight',
  lost: '✗ lost',
  arrived: '{0} · #{1} arrived',
  notCaptured: '⋯ {0} seq {1}–{2} not captured',
  summary: '⋯ #{0}–#{1}: {2} segments',
  summaryData: '{0} of data ({1})',
  summaryAcks: '{0} ACKs',
  summaryAck: '1 ACK',
  timeWait: 'TIME_WAIT (2×MSL = {0} s; Linux: 60 s)',
  timeWaitOver: 'CLOSED (2×MSL over at {0})',
  /** Played by an operating system's profile, whose TIME_WAIT is its own: "TIME_WAIT (Linux: 60 s)". */
  timeWaitOf: 'TIME_WAIT ({0}: {1} s)',
  timeWaitOfOver: 'CLOSED (TIME_WAIT over at {0})',
  dupAck: 'dup ack #{0}',
  brokenOff: '⚠ the capture breaks off here: {0}',
};

export type DiagramWords = typeof ENGLISH_WORDS;

/** `template` with `{0}`, `{1}`, … replaced by `values`. */
export function fill(template: string, ...values: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => (Number(n) < values.length ? String(values[Number(n)]) : whole));
}
