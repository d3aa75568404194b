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

/**
 * Puts multilink PPP packets (RFC 1990) together from their fragments: consecutive sequence numbers (24 bits, tshark's
 * default long format) from one with the begin bit to one with the end bit. Fragments arrive over several links and
 * so out of order; each is held until its packet is whole, within the bounds above.
 */
export class MultilinkReassembler {
  private readonly held = new Map<number, Held>();
  private heldBytes = 0;
  /** Fragments given up (over the bounds, too old, or never completed): counted as not read by the caller. */
  givenUp = 0;

  constructor(private readonly limits = MULTILINK_LIMITS) {}

  /** Adds a fragment; returns the packet (starting with its PPP protocol field) and the other fragments' records when whole. */
  add(sequence: number, begins: boolean, ends: boolean, data: Uint8Array, time: number, record: PlacedRecord): { packet: Uint8Array; others: PlacedRecord[] } | undefined {
    const old = this.held.get(sequence);
    if (old) this.drop(sequence, old, true);
    this.held.set(sequence, { data: data.slice(), begins, ends, time, record: { ...record } });
    this.heldBytes += data.length;
    const packet = this.whole(sequence);
    if (packet) return packet;
    this.trim(time);
    return undefined;
  }

  finish(): void {
    for (const [sequence, fragment] of this.held) this.drop(sequence, fragment, true);
  }

  /** The packet the fragment `sequence` completes, if every fragment from its begin to its end is here. */
  private whole(sequence: number): { packet: Uint8Array; others: PlacedRecord[] } | undefined {
    let first = sequence;
    for (let n = 0; !this.held.get(first)!.begins; n++) {
      const before = (first - 1 + SEQUENCE_SPACE) % SEQUENCE_SPACE;
      if (n === this.limits.fragments || !this.held.has(before)) return undefined;
      first = before;
    }
    let last = sequence;
    for (let n = 0; !this.held.get(last)!.ends; n++) {
      const after = (last + 1) % SEQUENCE_SPACE;
      if (n === this.limits.fragments || !this.held.has(after) || this.held.get(after)!.begins) return undefined;
      last = after;
    }
    const parts: Held[] = [];
    for (let s = first; ; s = (s + 1) % SEQUENCE_SPACE) {
      parts.push(this.held.get(s)!);
      this.drop(s, this.held.get(s)!, false);
      if (s === last) break;
    }
    const packet = new Uint8Array(parts.reduce((n, p) => n + p.data.length, 0));
    let at = 0;
    for (const p of parts) {
      packet.set(p.data, at);
      at += p.data.length;
    }
    // The fragment that completed it is the record being read: the others are where the rest lie.
    return { packet, others: parts.filter((_, i) => (first + i) % SEQUENCE_SPACE !== sequence).map((p) => p.record) };
  }

  private drop(sequence: number, fragment: Held, givenUp: boolean): void {
    this.held.delete(sequence);
    this.heldBytes -= fragment.data.length;
    if (givenUp) this.givenUp++;
  }

  /** Gives up the oldest fragments past the bounds (the map keeps them in the order they came). */
  private trim(now: number): void {
    for (const [sequence, fragment] of this.held) {
      const tooOld = now - fragment.time > this.limits.seconds;
      if (!tooOld && this.held.size <= this.limits.fragments && this.heldBytes <= this.limits.bytes) break;
      this.drop(sequence, fragment, true);
    }
  }
}
