/**
 * Fixed-size records of numbers, many to a typed-array page outside the JavaScript heap. Per-connection state kept
 * as objects costs, with the boxes V8 makes for numbers beyond 31 bits (sequence numbers) and for times, several
 * hundred bytes per connection and most of the garbage collector's work; a record here costs its numbers.
 */
export class RecordPool {
  private page: Float64Array;
  private used = 0;

  constructor(private readonly recordSize: number, private readonly recordsPerPage = 1024) {
    // The first page is small: a scenario or a small capture has a handful of connections.
    this.page = new Float64Array(recordSize * 8);
  }

  /** A new record, filled with NaN: the page it lies in and its offset there. */
  allocate(): { page: Float64Array; at: number } {
    if (this.used + this.recordSize > this.page.length) {
      const records = Math.min(this.recordsPerPage, 2 * (this.page.length / this.recordSize));
      this.page = new Float64Array(records * this.recordSize);
      this.used = 0;
    }
    const at = this.used;
    this.used += this.recordSize;
    // A loop: fill() on a few numbers costs more than writing them.
    for (let i = at; i < this.used; i++) this.page[i] = NaN;
    return { page: this.page, at };
  }
}
