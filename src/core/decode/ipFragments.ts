/** Where a record lies in its file: what a fragment contributes to the index that reads a connection again. */
export interface PlacedRecord {
  packet: number;
  offset: number;
  length: number;
}

/**
 * Bounds on what waits for its missing fragments: a capture (or an attacker) can send first fragments without end, so
 * memory is bounded by these, not by the file. A datagram waits at most `seconds` of capture time (Linux's
 * ipfrag_time is 30 s); past `datagrams` or `bytes` the oldest is given up.
 */
export const FRAGMENT_LIMITS = { datagrams: 1024, bytes: 16 * 1024 * 1024, seconds: 60 };

/** An IP datagram is at most 65,535 bytes (IPv4's total length; IPv6 without jumbograms). */
const MOST_PAYLOAD = 65535;

interface Pending {
  firstTime: number;
  /** The datagram's header as the first fragment (offset 0) carried it, without fragmentation; empty until it came. */
  header: Uint8Array;
  data: Uint8Array;
  /** The byte ranges of the payload held so far, sorted and merged. */
  ranges: Array<[number, number]>;
  /** The payload's length, known from the fragment without "more fragments"; -1 before. */
  total: number;
  records: PlacedRecord[];
}

export interface Fragment {
  /** The reassembled datagram's header (IPv4's with its fragment fields cleared, or IPv6's fixed header). */
  header: Uint8Array;
  payload: Uint8Array;
  /** In units of bytes. */
  offset: number;
  more: boolean;
}

/**
 * Puts IP datagrams together from their fragments (RFC 791 §3.2, RFC 8200 §4.5), keyed by addresses, identification
 * and protocol. Overlapping bytes take the later fragment's (tshark keeps either; they differ only in an attack).
 */
export class FragmentReassembler {
  private readonly pending = new Map<string, Pending>();
  private heldBytes = 0;
  /** Fragments given up (timed out, over the bounds, or never completed): counted as skipped by the caller. */
  givenUp = 0;

  constructor(private readonly limits = FRAGMENT_LIMITS) {}

  /**
   * Adds a fragment of the datagram `key`, arriving at `time` in `record`. Returns the whole datagram (header and
   * payload) and the other fragments' records when this one completes it.
   */
  add(key: string, time: number, fragment: Fragment, record: PlacedRecord): { datagram: Uint8Array; others: PlacedRecord[] } | undefined {
    this.expire(time);
    const end = fragment.offset + fragment.payload.length;
    if (end > MOST_PAYLOAD) {
      this.givenUp++;
      return undefined;
    }
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { firstTime: time, header: new Uint8Array(0), data: new Uint8Array(0), ranges: [], total: -1, records: [] };
      this.pending.set(key, entry);
    }
    if (entry.data.length < end) {
      const grown = new Uint8Array(Math.min(MOST_PAYLOAD, Math.max(end, 2 * entry.data.length)));
      grown.set(entry.data);
      this.heldBytes += grown.length - entry.data.length;
      entry.data = grown;
    }
    entry.data.set(fragment.payload, fragment.offset);
    if (fragment.offset === 0) entry.header = fragment.header.slice();
    if (!fragment.more) entry.total = end;
    entry.ranges = merged(entry.ranges, fragment.offset, end);
    const complete = entry.total >= 0 && entry.header.length > 0 && entry.ranges.length === 1 &&
      entry.ranges[0]![0] === 0 && entry.ranges[0]![1] >= entry.total;
    if (!complete) {
      entry.records.push({ ...record });
      this.trim();
      return undefined;
    }
    this.drop(key, entry);
    const datagram = new Uint8Array(entry.header.length + entry.total);
    datagram.set(entry.header);
    datagram.set(entry.data.subarray(0, entry.total), entry.header.length);
    return { datagram, others: entry.records };
  }

  /** The capture ended: what still waits will never complete. */
  finish(): void {
    for (const [key, entry] of this.pending) {
      this.givenUp += entry.records.length;
      this.drop(key, entry);
    }
  }

  private drop(key: string, entry: Pending): void {
    this.heldBytes -= entry.data.length;
    this.pending.delete(key);
  }

  /** Gives up datagrams older than the time limit (the map keeps them in the order they started). */
  private expire(now: number): void {
    for (const [key, entry] of this.pending) {
      if (!(now - entry.firstTime > this.limits.seconds)) break;
      this.givenUp += entry.records.length;
      this.drop(key, entry);
    }
  }

  private trim(): void {
    for (const [key, entry] of this.pending) {
      if (this.pending.size <= this.limits.datagrams && this.heldBytes <= this.limits.bytes) break;
      this.givenUp += entry.records.length;
      this.drop(key, entry);
    }
  }
}

function merged(ranges: Array<[number, number]>, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = start;
  let e = end;
  let placed = false;
  for (const [a, b] of ranges) {
    if (b < s) out.push([a, b]);
    else if (a > e) {
      if (!placed) out.push([s, e]);
      placed = true;
      out.push([a, b]);
    } else {
      s = Math.min(s, a);
      e = Math.max(e, b);
    }
  }
  if (!placed) out.push([s, e]);
  return out;
}
