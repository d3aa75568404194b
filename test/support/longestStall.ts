/**
 * Runs `work` and measures the longest time this thread's event loop was held at a stretch meanwhile: the longest gap
 * between two runs of a timer set every 5 ms.
 */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; longest: number }> {
  let longest = 0;
  let last = Date.now();
  const ticker = setInterval(() => {
    longest = Math.max(longest, Date.now() - last);
    last = Date.now();
  }, 5);
  try {
    const result = await work();
    return { result, longest: Math.max(longest, Date.now() - last) };
  } finally {
    clearInterval(ticker);
  }
}
