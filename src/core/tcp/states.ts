/** RFC 9293 §3.3.2 connection states, with underscores. */
export const TCP_STATES = [
  'CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING',
  'LAST_ACK', 'TIME_WAIT',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

/**
 * Every transition that RFC 9293's event processing (§3.10) can make, including simultaneous open and close, RST in
 * each state, a passive SYN_RECEIVED returning to LISTEN, and ABORT/timeouts to CLOSED.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<TcpState, readonly TcpState[]>> = {
  CLOSED: ['LISTEN', 'SYN_SENT'],
  LISTEN: ['SYN_RECEIVED', 'SYN_SENT', 'CLOSED'],
  SYN_SENT: ['SYN_RECEIVED', 'ESTABLISHED', 'CLOSED'],
  SYN_RECEIVED: ['ESTABLISHED', 'FIN_WAIT_1', 'CLOSE_WAIT', 'LISTEN', 'CLOSED'],
  ESTABLISHED: ['FIN_WAIT_1', 'CLOSE_WAIT', 'CLOSED'],
  FIN_WAIT_1: ['FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSED'],
  FIN_WAIT_2: ['TIME_WAIT', 'CLOSED'],
  CLOSE_WAIT: ['LAST_ACK', 'CLOSED'],
  CLOSING: ['TIME_WAIT', 'CLOSED'],
  LAST_ACK: ['CLOSED'],
  TIME_WAIT: ['CLOSED'],
};

export function isAllowedTransition(from: TcpState, to: TcpState): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** States in which both sides' sequence numbers are known (RFC 9293 "synchronized states"). */
export function isSynchronized(state: TcpState): boolean {
  return state !== 'CLOSED' && state !== 'LISTEN' && state !== 'SYN_SENT' && state !== 'SYN_RECEIVED';
}
