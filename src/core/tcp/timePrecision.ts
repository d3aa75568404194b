/**
 * A difference of two capture times (the later one `time`), rounded to the digits such times carry: 0.043605 s, not
 * the 0.04360508918762207 s that subtracting two times near 1.8e9 s gives. A time that large is exact only to some
 * 2.4e-7 s (its last bit), so the difference keeps microseconds; small times keep up to nanoseconds, the finest any
 * capture format records.
 */
export function toPrecision(difference: number, time: number): number {
  const lastBit = 2 ** (Math.floor(Math.log2(Math.abs(time))) - 52);
  // The step must exceed twice the error of the difference (one last bit of each time) to round back to the truth.
  const scale = 10 ** Math.min(9, -Math.ceil(Math.log10(2 * lastBit)));
  return Math.round(difference * scale) / scale;
}

/**
 * A time (not a difference) rounded the same way, cheaply for today's epoch times: from 2^30 s (2004) to 2^32 s the
 * digits kept are microseconds. The state model rounds a time at every change, so this is on the per-packet path.
 */
export function timeToPrecision(time: number): number {
  if (time >= 2 ** 30 && time < 2 ** 32) return Math.round(time * 1e6) / 1e6;
  return toPrecision(time, time);
}
