// The tree's view of a capture's connections: which match the filter, in which order, in which groups. Made in the
// worker, which holds the connections (a million of them would not fit the host); the tree then asks for rows by their
// place in the view.
import type { Connection } from '../../core/tcp/connection';

export type SortKey = 'start' | 'duration' | 'packets' | 'bytes' | 'anomalies';
export type GroupKey = 'none' | 'outcome' | 'server';

export interface ViewOptions {
  /** Words that must all appear (address, port, outcome, state); `#12` is connection 12. */
  filter: string;
  sort: SortKey;
  group: GroupKey;
}

export const DEFAULT_VIEW: ViewOptions = { filter: '', sort: 'start', group: 'none' };

/** A group of the view: its rows are `first` … `first + count − 1`. */
export interface ViewGroup {
  /** An outcome or a server's address and port. */
  name: string;
  first: number;
  count: number;
  /** The smallest groups past MOST_GROUPS, merged into one: how many. */
  merged?: number;
}

/** Most groups listed: past them the smallest are one group (a level of the tree should stay short). */
const MOST_GROUPS = 200;

export interface View {
  /** The connections' indexes in the view's order. */
  order: Uint32Array;
  /** For each connection's index, its row in the view, or −1 where the filter leaves it out. */
  rowOf: Int32Array;
  groups: ViewGroup[];
}

const sortValue: Record<Exclude<SortKey, 'start'>, (c: Connection) => number> = {
  duration: (c) => (Number.isFinite(c.duration) ? c.duration : 0),
  packets: (c) => c.packetCount,
  bytes: (c) => c.toServer.bytes + c.toClient.bytes,
  anomalies: (c) => c.anomalyCount + Object.values(c.analysisCounts).reduce((n, k) => n + (k ?? 0), 0),
};

/** Does `c` hold every word of the filter? */
export function matcher(filter: string): (c: Connection) => boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const ids = words.filter((w) => /^#\d+$/.test(w)).map((w) => Number(w.slice(1)));
  const texts = words.filter((w) => !/^#\d+$/.test(w));
  return (c) => {
    if (!ids.every((id) => c.id === id)) return false;
    if (texts.length === 0) return true;
    // Only where words remain: making each connection's text is most of a filter's time.
    const text = `${c.client} ${c.server} ${c.outcome} ${c.states.client} ${c.states.server}`.toLowerCase();
    return texts.every((w) => text.includes(w));
  };
}

/** The view of `connections` (in the order they were found) that `options` asks for. */
export function viewOf(connections: readonly Connection[], options: ViewOptions): View {
  const matches = matcher(options.filter);
  const chosen: number[] = [];
  for (let i = 0; i < connections.length; i++) if (matches(connections[i]!)) chosen.push(i);
  // Largest first for the numbers; the order found (their start) breaks ties and is the default.
  if (options.sort !== 'start') {
    const value = sortValue[options.sort];
    const values = new Float64Array(connections.length);
    for (const i of chosen) values[i] = value(connections[i]!);
    chosen.sort((a, b) => values[b]! - values[a]! || a - b);
  }
  const groups: ViewGroup[] = [];
  let order = chosen;
  if (options.group !== 'none') {
    const nameOf = options.group === 'outcome' ? (c: Connection) => c.outcome : (c: Connection) => c.server;
    const members = new Map<string, number[]>();
    for (const i of chosen) {
      const name = nameOf(connections[i]!);
      let list = members.get(name);
      if (!list) members.set(name, (list = []));
      list.push(i);
    }
    const bySize = [...members].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    const kept: Array<[string, number[], number?]> = bySize.slice(0, MOST_GROUPS - 1);
    const rest = bySize.slice(MOST_GROUPS - 1);
    if (rest.length === 1) kept.push(rest[0]!);
    else if (rest.length > 1) kept.push(['', rest.flatMap(([, list]) => list), rest.length]);
    order = [];
    for (const [name, list, merged] of kept) {
      groups.push({ name, first: order.length, count: list.length, ...(merged ? { merged } : {}) });
      for (const i of list) order.push(i);
    }
  }
  const rowOf = new Int32Array(connections.length).fill(-1);
  order.forEach((index, row) => (rowOf[index] = row));
  return { order: Uint32Array.from(order), rowOf, groups };
}

export function isDefault(options: ViewOptions): boolean {
  return options.filter.trim() === '' && options.sort === 'start' && options.group === 'none';
}
