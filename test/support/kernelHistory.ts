import type { TcpState } from '../../src/core/tcp/states';

/** What scripts/fixtures/make_fixtures.py stores beside each capture: the kernel's own record. */
export interface KernelRecord {
  scenario: string;
  captureStartsAfter: number;
  events: Array<{ time: number; src: string; sport: number; dst: string; dport: number; old: string; new: string }>;
  sockets: { a: string[]; b: string[] };
}

const NAMES: Record<string, TcpState> = {
  CLOSE: 'CLOSED', LISTEN: 'LISTEN', SYN_SENT: 'SYN_SENT', SYN_RECV: 'SYN_RECEIVED', ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT1: 'FIN_WAIT_1', FIN_WAIT2: 'FIN_WAIT_2', CLOSE_WAIT: 'CLOSE_WAIT', CLOSING: 'CLOSING', LAST_ACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT',
};

const endpoint = (address: string, port: number) => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

/**
 * Each endpoint's state sequences, one per socket lifetime on its 4-tuple, keyed `local>remote`, from the kernel's
 * tracepoint, with what the tracepoint cannot show filled in from `ss` (../../shared facts, kept here in code):
 * Linux hands a closing socket to a time-wait mini-socket and traces that as X→CLOSE from FIN_WAIT2 or CLOSING. If `ss`
 * still lists the 4-tuple in TIME-WAIT, or a later lifetime reused the 4-tuple, that CLOSE is TIME_WAIT; if it lists it
 * in FIN-WAIT-2, the endpoint is still in FIN_WAIT_2.
 */
export function kernelHistories(record: KernelRecord): Map<string, TcpState[][]> {
  const lifetimes = new Map<string, string[][]>();
  for (const e of record.events) {
    if (e.dport === 0) continue; // the listening socket itself: it stays in LISTEN
    const key = `${endpoint(e.src, e.sport)}>${endpoint(e.dst, e.dport)}`;
    const list = lifetimes.get(key) ?? [];
    const starts = e.old === 'CLOSE' || e.old === 'LISTEN';
    if (starts || list.length === 0) list.push([e.old]);
    list.at(-1)!.push(e.new);
    lifetimes.set(key, list);
  }
  const table = [...record.sockets.a, ...record.sockets.b].map((line) => line.split(' '));
  const result = new Map<string, TcpState[][]>();
  for (const [key, list] of lifetimes) {
    const [local, remote] = key.split('>');
    const ssState = table.find((cols) => cols[3] === local && cols[4] === remote)?.[0];
    result.set(key, list.map((raw, i) => {
      const states = raw.map((s) => NAMES[s] ?? (s as TcpState));
      const n = states.length;
      const handedOver = n >= 2 && states[n - 1] === 'CLOSED' && (states[n - 2] === 'FIN_WAIT_2' || states[n - 2] === 'CLOSING');
      if (handedOver) {
        if (ssState === 'FIN-WAIT-2' && i === list.length - 1) states.pop();
        else if (ssState === 'TIME-WAIT' || i < list.length - 1) states[n - 1] = 'TIME_WAIT';
      }
      return states;
    }));
  }
  return result;
}

/** The states the capture point can see: a midstream capture starts at ESTABLISHED. */
export function visibleStates(states: TcpState[], midstream: boolean): TcpState[] {
  if (!midstream) return states;
  const at = states.indexOf('ESTABLISHED');
  return at < 0 ? states : states.slice(at);
}
