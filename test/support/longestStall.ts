import { readFileSync } from 'node:fs';

/**
 * This thread's time on a CPU so far, in ms, from the kernel's scheduler statistics (Linux), or undefined elsewhere.
 * A stall is the thread's own work only in part: on a busy machine it also waits in the run queue for a CPU.
 */
function cpuTime(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` and measures the longest time this thread's event loop was held at a stretch meanwhile (the longest gap
 * between two runs of a timer set every 5 ms), and `busiest`, the most CPU time the thread itself spent within one
 * such gap (its own work, without the time it waited for a CPU; equal to `longest` where that is not known).
 */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; longest: number; busiest: number }> {
  let longest = 0;
  let busiest = 0;
  let last = Date.now();
  let lastCpu = cpuTime();
  const measure = () => {
    const gap = Date.now() - last;
    const cpu = cpuTime();
    longest = Math.max(longest, gap);
    busiest = Math.max(busiest, cpu !== undefined && lastCpu !== undefined ? Math.round(cpu - lastCpu) : gap);
    last = Date.now();
    lastCpu = cpu;
  };
  const ticker = setInterval(measure, 5);
  try {
    const result = await work();
    measure();
    return { result, longest, busiest };
  } finally {
    clearInterval(ticker);
  }
}
