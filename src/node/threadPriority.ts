import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Gives the calling thread a lower scheduling priority (a higher nice value), so that reading a large capture on a
 * busy machine takes the CPU the editor's own threads leave idle rather than theirs: on two cores, a worker at the
 * same priority held VS Code's extension host off the CPU for a tenth of a second at a time. Linux names a thread by
 * its task id (/proc/thread-self), and setpriority(2) with that id applies to the thread alone. Elsewhere, or where it
 * is not allowed, nothing changes: the work is the same, only its place in the queue.
 */
export function lowerThreadPriority(nice = 19): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
