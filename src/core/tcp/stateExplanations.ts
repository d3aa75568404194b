import type { TcpState } from './states';

/** One line per state for learners: what the endpoint waits for, and which segment moves it on (RFC 9293 §3.3.2). */
const EXPLANATIONS: Record<TcpState, string> = {
  CLOSED: 'No connection. An application opens one (connect, or listen), or a segment arriving here is answered by RST.',
  LISTEN: 'Waiting for a SYN from any remote endpoint; answers it with SYN,ACK and moves to SYN_RECEIVED.',
  SYN_SENT: 'Sent a SYN; waits for a SYN,ACK (→ ESTABLISHED) or a SYN alone (simultaneous open → SYN_RECEIVED).',
  SYN_RECEIVED: 'Received a SYN and sent SYN,ACK; waits for the ACK of its SYN (→ ESTABLISHED).',
  ESTABLISHED: 'Open: data flows both ways. Sending a FIN moves it to FIN_WAIT_1; receiving one, to CLOSE_WAIT.',
  FIN_WAIT_1: 'Sent its FIN; waits for its ACK (→ FIN_WAIT_2), or the peer\'s FIN first (simultaneous close → CLOSING).',
  FIN_WAIT_2: 'Its FIN is acknowledged; it can still receive data and waits for the peer\'s FIN (→ TIME_WAIT).',
  CLOSE_WAIT: 'The peer has closed its side; this side may still send data and waits for its application to close (FIN → LAST_ACK).',
  CLOSING: 'Both FINs crossed; waits for the ACK of its own FIN (→ TIME_WAIT).',
  LAST_ACK: 'Sent its FIN after the peer\'s; waits for the ACK of it (→ CLOSED).',
  TIME_WAIT: 'Waits 2×MSL (240 s by RFC 9293; Linux 60 s) so late segments die out and its last ACK can be repeated.',
};

export function stateExplanation(state: TcpState): string {
  return EXPLANATIONS[state];
}
