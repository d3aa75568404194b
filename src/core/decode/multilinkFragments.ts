import type { PlacedRecord } from './ipFragments';

/** Bounds on multilink PPP fragments waiting for the rest of their packet: a file cannot make them grow without end. */
export const MULTILINK_LIMITS = { fragments: 256, bytes: 1024 * 1024, seconds: 60 };

interface Held {
  data: Uint8Array;
  begins: boolean;
  ends: boolean;
  time: number;
  record: PlacedRecord;
}

const SEQUENCE_SPACE = 1 << 24;

/** Each direction numbers its fragments on its own: a held fragment is keyed by both. */
const keyOf = (direction: number, sequence: number) => direction * SEQUENCE_SPACE + sequence;
/** The key of the fragment numbered one after (+1) or before (-1) `key`'s, in the same direction. */
const beside = (key: number, step: 1 | -1) => key - (key % SEQUENCE_SPACE) + (key % SEQUENCE_SPACE + step + SEQUENCE_SPACE) % SEQUENCE_SPACE;

/**
 * Puts multilink PPP packets (RFC 1990) together from their fragments: consecutive sequence numbers (24 bits, tshark's
 * default long format) from one with the begin bit to one with the end bit. Fragments arrive over several links and
 * so out of order; each is held until its packet is whole, within the bounds above. Where the link header says which
 * way a frame went, the two directions are kept apart (tshark mixes them, and so loses both packets when their
 * numbers meet).
 */
export class MultilinkReassembler {
  private readonly held = new Map<number, Held>();
  private heldBytes = 0;
  /** Fragments given up (over the bounds, too old, or never completed): counted as not read by the caller. */
  givenUp = 0;

  constructor(private readonly limits = MULTILINK_LIMITS) {}

  /** Adds a fragment; returns the packet (starting with its PPP protocol field) and the other fragments' records when whole. */
  add(direction: number, sequence: number, begins: boolean, ends: boolean, data: Uint8Array, time: number, record: PlacedRecord): { packet: Uint8Array; others: PlacedRecord[] } | undefined {
    const key = keyOf(direction, sequence);
    const old = this.held.get(key);
    if (old) this.drop(key, old, true);
    this.held.set(key, { data: data.slice(), begins, ends, time, record: { ...record } });
    this.heldBytes += data.length;
    const packet = this.whole(key);
    if (packet) return packet;
    this.trim(time);
    return undefined;
  }

  finish(): void {
    for (const [key, fragment] of this.held) this.drop(key, fragment, true);
  }

  /** The packet the fragment held at `key` completes, if every fragment from its begin to its end is here. */
  private whole(key: number): { packet: Uint8Array; others: PlacedRecord[] } | undefined {
    let first = key;
    for (let n = 0; !this.held.get(first)!.begins; n++) {
      const before = beside(first, -1);
      if (n === this.limits.fragments || !this.held.has(before)) return undefined;
      first = before;
    }
    let last = key;
    for (let n = 0; !this.held.get(last)!.ends; n++) {
      const after = beside(last, 1);
      if (n === this.limits.fragments || !this.held.has(after) || this.held.get(after)!.begins) return undefined;
      last = after;
    }
    const parts: Held[] = [];
    const completing = this.held.get(key)!;
    for (let k = first; ; k = beside(k, 1)) {
      parts.push(this.held.get(k)!);
      this.drop(k, this.held.get(k)!, false);
      if (k === last) break;
    }
    const packet = new Uint8Array(parts.reduce((n, p) => n + p.data.length, 0));
    let at = 0;
    for (const p of parts) {
      packet.set(p.data, at);
      at += p.data.length;
    }
    // The fragment that completed it is the record being read: the others are where the rest lie.
    return { packet, others: parts.filter((p) => p !== completing).map((p) => p.record) };
  }

  private drop(key: number, fragment: Held, givenUp: boolean): void {
    this.held.delete(key);
    this.heldBytes -= fragment.data.length;
    if (givenUp) this.givenUp++;
  }

  /** Gives up the oldest fragments past the bounds (the map keeps them in the order they came). */
  private trim(now: number): void {
    for (const [key, fragment] of this.held) {
      const tooOld = now - fragment.time > this.limits.seconds;
      if (!tooOld && this.held.size <= this.limits.fragments && this.heldBytes <= this.limits.bytes) break;
      this.drop(key, fragment, true);
    }
  }
}
