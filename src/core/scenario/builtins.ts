/**
 * The built-in lessons: each a scenario with a short explanation of what it shows, and where operating systems tell
 * the story otherwise (Linux's as its kernel played each lesson, test/linux/lessonsVsKernel.test.ts; Windows' and
 * macOS' from the figures their documentation and source give, profiles.ts).
 */
export interface BuiltinScenario {
  name: string;
  title: string;
  explanation: string;
  osNote: string;
  text: string;
}

const HEAD = 'endpoint client 10.0.0.1:41234\nendpoint server 10.0.0.2:80\ndelay 20ms\n';
const OPEN = 'server listen\nclient connect\n';

const scenario = (name: string, title: string, explanation: string, body: string, osNote: string): BuiltinScenario =>
  ({ name, title, explanation, osNote, text: `title ${title}\n# ${explanation}\n${HEAD}${body}` });

export const BUILTIN_SCENARIOS: BuiltinScenario[] = [
  scenario('three-way-handshake', 'The 3-way handshake',
    'SYN, SYN-ACK, ACK: the client goes CLOSED → SYN_SENT → ESTABLISHED, the server LISTEN → SYN_RECEIVED → ESTABLISHED.',
    `${OPEN}client send 100\nserver send 100\n`,
    'The same three segments on Linux, Windows and macOS. What differs is what the SYN offers: Linux adds timestamps, 12 bytes in every later segment, so its full data segments carry 1448 bytes, not 1460.'),
  scenario('four-way-close', 'The graceful 4-way close',
    'The client closes first: FIN_WAIT_1, then FIN_WAIT_2 after the ACK (not TIME_WAIT yet), and TIME_WAIT only after the server\'s FIN; the server goes CLOSE_WAIT → LAST_ACK → CLOSED. TIME_WAIT lasts 2×MSL (240 s here; Linux 60 s).',
    `${OPEN}client send 100\nclient close\nwait 200ms\nserver send 300\nwait 100ms\nserver close\nwait 2msl\n`,
    'TIME_WAIT lasts 240 s by the RFC (2×MSL) and by Windows\' documented default, 60 s on Linux, 30 s on macOS. Linux delays the ACK of the FIN up to 40 ms when data came before it. A Linux socket close()d rather than shut down answers data that arrives later with RST.'),
  scenario('simultaneous-open', 'Simultaneous open',
    'Both sides connect at once: the SYNs cross, each goes SYN_SENT → SYN_RECEIVED and answers with SYN-ACK.',
    'client connect & server connect\n',
    'Linux plays it segment for segment as here. Which OS you are on matters only if a SYN is lost: then each retries at its own times (see the lost SYN).'),
  scenario('simultaneous-close', 'Simultaneous close',
    'Both sides close at once: the FINs cross, each goes FIN_WAIT_1 → CLOSING → TIME_WAIT.',
    `${OPEN}client close & server close\n`,
    'Both ends go through CLOSING to TIME_WAIT on every OS; TIME_WAIT then lasts 240 s (RFC, Windows), 60 s (Linux) or 30 s (macOS).'),
  scenario('three-segment-close', 'The 3-segment close',
    'The server closes as soon as the client\'s FIN arrives: its FIN rides on the ACK (FIN,ACK), so the client goes from FIN_WAIT_1 through FIN_WAIT_2 to TIME_WAIT on that one segment.',
    `${OPEN}server close on FIN\nclient send 100\nclient close\n`,
    'On Linux the FIN rides on the ACK because Linux delays that ACK (up to 40 ms) and the application closes within that time; an application slower than that gives a 4-segment close.'),
  scenario('half-close', 'Half-close',
    'The client shuts down its sending side; the server, in CLOSE_WAIT, keeps sending data that the client, in FIN_WAIT_2, still receives.',
    `${OPEN}client send 100\nclient shutdown\nwait 100ms\nserver send 2000\nserver send 2000\nserver close\n`,
    'Linux sends 2000 bytes as 1448 + 552 (its timestamp option takes 12 bytes of each segment) and delays the ACK of the client\'s FIN by up to 40 ms; the client\'s TIME_WAIT then lasts 60 s on Linux, 30 s on macOS, 240 s by the RFC and Windows.'),
  scenario('abort', 'Abrupt release by RST',
    'The client aborts: it sends RST and is CLOSED at once; the server, on the RST, is CLOSED too. No TIME_WAIT.',
    `${OPEN}client send 100\nclient abort\n`,
    'The same everywhere: one RST, no TIME_WAIT. On Linux an application aborts like this by closing with SO_LINGER set to 0 s, or by closing with unread data in its receive buffer.'),
  scenario('refused', 'A refused connection',
    'Nothing listens on the port: the SYN is answered by RST,ACK and the client goes back to CLOSED.',
    'client connect\n',
    'Linux answers at once with RST,ACK, and connect() fails with “Connection refused” (ECONNREFUSED), as here.'),
  scenario('lost-syn', 'A lost SYN and its retransmission',
    'The first SYN is lost; after the retransmission timeout (1 s) the client sends it again.',
    'server listen\nlose next client SYN\nclient connect\n',
    'The retry times differ: the RFC doubles from 1 s (1, 3, 7, 15 s …); Linux 6.5 and later retries 1 s apart five times, then doubles, and gives up after about 130 s; macOS gives up a connect at 75 s; Windows does not document its times.'),
  scenario('lost-fin', 'A lost FIN',
    'The client\'s FIN is lost: it stays in FIN_WAIT_1 until its retransmission gets through.',
    `${OPEN}lose next client FIN\nclient close\nwait 100ms\nserver close\n`,
    'Linux times its retransmission from the round trip it measured (0.3 s here), not from the RFC\'s first 1 s. It tries 15 times (tcp_retries2) before giving up; Windows 5 times, macOS 12.'),
  scenario('time-wait-absorbs-fin', 'TIME_WAIT absorbs a late retransmitted FIN',
    'The client\'s last ACK is lost; the server sends its FIN again, and the client in TIME_WAIT answers it and restarts its 2×MSL timer.',
    `${OPEN}client close\nwait 100ms\nlose next client ACK\nserver close\nwait 3s\n`,
    'The server\'s FIN goes again after Linux\'s measured timeout (0.24 s here, not 1 s); the TIME_WAIT that answers it starts again: 60 s on Linux, 30 s on macOS, 240 s by the RFC and Windows.'),
  scenario('keep-alive', 'Keep-alive',
    'An idle connection: after 1 s without hearing from the server, the client sends a keep-alive probe (no new data, one sequence number back) and the server answers with an ACK.',
    `${OPEN}client keepalive 1s\nwait 3.5s\n`,
    'Keep-alive is off unless the application turns it on, and then waits 2 hours of silence by default on Linux (tcp_keepalive_time 7200 s), Windows (KeepAliveTime) and macOS; this lesson asks for 1 s. Linux then probes every 75 s and gives up after 9 unanswered probes.'),
  scenario('zero-window', 'A zero window and its probes',
    'The server\'s application stops reading: its window fills and drops to zero, the client probes it with one byte at growing intervals, and when the server reads again a window update lets the data flow.',
    `${OPEN}server pause\nclient send 70000\nwait 4s\nserver resume\nwait 1s\n`,
    'Linux\'s receive buffer (128 KB by default, tcp_rmem) takes all 70,000 bytes: its window shrinks but never reaches zero, so on Linux this takes more data or a small SO_RCVBUF. Its sender also starts with 10 segments and grows from there (slow start).'),
  scenario('challenge-ack', 'An RFC 5961 challenge ACK',
    'An RST whose sequence number is in the window but not exactly RCV.NXT does not reset the connection: the receiver answers with a challenge ACK.',
    `${OPEN}client send 100\ninject server RST seq=+500\n`,
    'Linux answers with a challenge ACK as here, at most one per 500 ms per connection (tcp_invalid_ratelimit); its global limit (tcp_challenge_ack_limit) is off by default in recent kernels.'),
];

export function builtinScenario(name: string): BuiltinScenario | undefined {
  return BUILTIN_SCENARIOS.find((s) => s.name === name);
}
