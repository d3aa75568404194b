/** The built-in lessons: each a scenario with a short explanation of what it shows. */
export interface BuiltinScenario {
  name: string;
  title: string;
  explanation: string;
  text: string;
}

const HEAD = 'endpoint client 10.0.0.1:41234\nendpoint server 10.0.0.2:80\ndelay 20ms\n';
const OPEN = 'server listen\nclient connect\n';

const scenario = (name: string, title: string, explanation: string, body: string): BuiltinScenario =>
  ({ name, title, explanation, text: `title ${title}\n# ${explanation}\n${HEAD}${body}` });

export const BUILTIN_SCENARIOS: BuiltinScenario[] = [
  scenario('three-way-handshake', 'The 3-way handshake',
    'SYN, SYN-ACK, ACK: the client goes CLOSED → SYN_SENT → ESTABLISHED, the server LISTEN → SYN_RECEIVED → ESTABLISHED.',
    `${OPEN}client send 100\nserver send 100\n`),
  scenario('four-way-close', 'The graceful 4-way close',
    'The client closes first: FIN_WAIT_1, then FIN_WAIT_2 after the ACK (not TIME_WAIT yet), and TIME_WAIT only after the server\'s FIN; the server goes CLOSE_WAIT → LAST_ACK → CLOSED. TIME_WAIT lasts 2×MSL (240 s here; Linux 60 s).',
    `${OPEN}client send 100\nclient close\nwait 200ms\nserver send 300\nwait 100ms\nserver close\nwait 2msl\n`),
  scenario('simultaneous-open', 'Simultaneous open',
    'Both sides connect at once: the SYNs cross, each goes SYN_SENT → SYN_RECEIVED and answers with SYN-ACK.',
    'client connect & server connect\n'),
  scenario('simultaneous-close', 'Simultaneous close',
    'Both sides close at once: the FINs cross, each goes FIN_WAIT_1 → CLOSING → TIME_WAIT.',
    `${OPEN}client close & server close\n`),
  scenario('three-segment-close', 'The 3-segment close',
    'The server closes as soon as the client\'s FIN arrives: its FIN rides on the ACK (FIN,ACK), so the client goes from FIN_WAIT_1 through FIN_WAIT_2 to TIME_WAIT on that one segment.',
    `${OPEN}server close on FIN\nclient send 100\nclient close\n`),
  scenario('half-close', 'Half-close',
    'The client shuts down its sending side; the server, in CLOSE_WAIT, keeps sending data that the client, in FIN_WAIT_2, still receives.',
    `${OPEN}client send 100\nclient shutdown\nwait 100ms\nserver send 2000\nserver send 2000\nserver close\n`),
  scenario('abort', 'Abrupt release by RST',
    'The client aborts: it sends RST and is CLOSED at once; the server, on the RST, is CLOSED too. No TIME_WAIT.',
    `${OPEN}client send 100\nclient abort\n`),
  scenario('refused', 'A refused connection',
    'Nothing listens on the port: the SYN is answered by RST,ACK and the client goes back to CLOSED.',
    'client connect\n'),
  scenario('lost-syn', 'A lost SYN and its retransmission',
    'The first SYN is lost; after the retransmission timeout (1 s) the client sends it again.',
    'server listen\nlose next client SYN\nclient connect\n'),
  scenario('lost-fin', 'A lost FIN',
    'The client\'s FIN is lost: it stays in FIN_WAIT_1 until its retransmission gets through.',
    `${OPEN}lose next client FIN\nclient close\nwait 100ms\nserver close\n`),
  scenario('time-wait-absorbs-fin', 'TIME_WAIT absorbs a late retransmitted FIN',
    'The client\'s last ACK is lost; the server sends its FIN again, and the client in TIME_WAIT answers it and restarts its 2×MSL timer.',
    `${OPEN}client close\nwait 100ms\nlose next client ACK\nserver close\nwait 3s\n`),
  scenario('keep-alive', 'Keep-alive',
    'An idle connection: after 1 s without hearing from the server, the client sends a keep-alive probe (no new data, one sequence number back) and the server answers with an ACK.',
    `${OPEN}client keepalive 1s\nwait 3.5s\n`),
  scenario('zero-window', 'A zero window and its probes',
    'The server\'s application stops reading: its window fills and drops to zero, the client probes it with one byte at growing intervals, and when the server reads again a window update lets the data flow.',
    `${OPEN}server pause\nclient send 70000\nwait 4s\nserver resume\nwait 1s\n`),
  scenario('challenge-ack', 'An RFC 5961 challenge ACK',
    'An RST whose sequence number is in the window but not exactly RCV.NXT does not reset the connection: the receiver answers with a challenge ACK.',
    `${OPEN}client send 100\ninject server RST seq=+500\n`),
];

export function builtinScenario(name: string): BuiltinScenario | undefined {
  return BUILTIN_SCENARIOS.find((s) => s.name === name);
}
