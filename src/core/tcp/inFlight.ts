import type { Segment } from './segment';

/** What the state model needs of a segment on its way to its receiver. */
export type Arrival = Pick<Segment, 'index' | 'packet' | 'time' | 'flags' | 'seq' | 'ack' | 'len'>;

export const NO_ARRIVAL = -1;

const INDEX = 0;
const PACKET = 1;
const TIME = 2;
const FLAGS = 3;
const SEQ = 4;
const ACK = 5;
const LEN = 6;
const NEXT = 7;
const FIELDS = 8;

/**
 * Segments that the capture point has seen and their receiver may not have received yet: a queue per endpoint, for
 * every connection of an analysis, in one typed array whose slots are reused. Most connections end with a segment
 * still on its way (the last ACK, which nothing answers): held as objects in lists until the capture ends, 100,000 of
 * them took some 20 MB. A queue is its first and last slot (NO_ARRIVAL when empty), kept by its owner.
 */
export class InFlightStore {
  private slots = new Float64Array(64 * FIELDS);
  private used = 0;
  private free = NO_ARRIVAL;
  private held = 0;
  private readonly current: Arrival = { index: 0, packet: 0, time: 0, flags: 0, seq: 0, ack: 0, len: 0 };

  /** Appends the segment after `tail` (NO_ARRIVAL: a new queue); returns its slot, the queue's new tail. */
  append(tail: number, segment: Segment): number {
    const ref = this.take();
    this.held++;
    const slots = this.slots;
    const at = ref * FIELDS;
    slots[at + INDEX] = segment.index;
    slots[at + PACKET] = segment.packet;
    slots[at + TIME] = segment.time;
    slots[at + FLAGS] = segment.flags;
    slots[at + SEQ] = segment.seq;
    slots[at + ACK] = segment.ack;
    slots[at + LEN] = segment.len;
    slots[at + NEXT] = NO_ARRIVAL;
    if (tail !== NO_ARRIVAL) this.set(tail, NEXT, ref);
    return ref;
  }

  /** Segments held now. */
  get size(): number {
    return this.held;
  }

  next(ref: number): number {
    return this.get(ref, NEXT);
  }

  /** Frees the slot; returns the next one. */
  release(ref: number): number {
    const next = this.get(ref, NEXT);
    this.set(ref, NEXT, this.free);
    this.free = ref;
    this.held--;
    return next;
  }

  /** The segment in the slot, as one object that every call refills: valid until the next call. */
  arrival(ref: number): Arrival {
    const out = this.current;
    out.index = this.get(ref, INDEX);
    out.packet = this.get(ref, PACKET);
    out.time = this.get(ref, TIME);
    out.flags = this.get(ref, FLAGS);
    out.seq = this.get(ref, SEQ);
    out.ack = this.get(ref, ACK);
    out.len = this.get(ref, LEN);
    return out;
  }

  time(ref: number): number {
    return this.get(ref, TIME);
  }

  flags(ref: number): number {
    return this.get(ref, FLAGS);
  }

  seq(ref: number): number {
    return this.get(ref, SEQ);
  }

  len(ref: number): number {
    return this.get(ref, LEN);
  }

  private take(): number {
    if (this.free !== NO_ARRIVAL) {
      const ref = this.free;
      this.free = this.get(ref, NEXT);
      return ref;
    }
    if (this.used * FIELDS === this.slots.length) {
      // Slots are reused, so this grows only with the most segments in flight at once.
      const larger = new Float64Array(2 * this.slots.length);
      larger.set(this.slots);
      this.slots = larger;
    }
    return this.used++;
  }

  private get(ref: number, field: number): number {
    return this.slots[ref * FIELDS + field]!;
  }

  private set(ref: number, field: number, value: number): void {
    this.slots[ref * FIELDS + field] = value;
  }
}
