import type { HistoryEntry, Segment } from '../tcp/segment';

export type Side = 'client' | 'server';

/** One state note: a run of one endpoint's history entries with one cause, drawn right after the arrow `at`. */
export interface PlacedNote {
  side: Side;
  entries: HistoryEntry[];
  /** The segment index the note follows (-1: before the first arrow). */
  at: number;
  /** The causing segment, when the endpoint received it (a change caused by sending or by a timer: undefined). */
  receivedFrom: number | undefined;
}

/** Segments that were in flight towards each other: `first` (a cause) to `last` (the receiver's last crossing segment). */
export interface Crossing {
  first: number;
  last: number;
}

/**
 * Where each state change is drawn, the way RFC 9293's figures draw them: a change caused by sending a segment right
 * after that segment's arrow; a change caused by receiving one right after that arrow too, unless the receiver sent
 * segments of its own while the cause was still in flight to it (the history's `after` says until when) — then after
 * the last of those, and the cause and those segments crossed. A change with no segment (a timer) is drawn at `after`.
 * An endpoint's notes keep its history's order.
 */
export function placeNotes(
  segments: readonly Segment[],
  clientHistory: readonly HistoryEntry[],
  serverHistory: readonly HistoryEntry[],
): { notes: PlacedNote[]; crossings: Crossing[] } {
  const notes: PlacedNote[] = [];
  const crossings: Crossing[] = [];
  const last = segments.length - 1;
  for (const [side, history] of [['client', clientHistory], ['server', serverHistory]] as const) {
    const own = segments.filter((s) => s.fromClient === (side === 'client')).map((s) => s.index);
    let previous: PlacedNote | undefined;
    for (let i = 1; i < history.length; i++) {
      const entry = history[i]!;
      const cause = entry.segment !== null && entry.segment <= last ? entry.segment : null;
      let at: number;
      let receivedFrom: number | undefined;
      if (cause === null) at = Math.min(entry.after, last);
      else if (segments[cause]!.fromClient === (side === 'client')) at = cause;
      else {
        receivedFrom = cause;
        const crossed = lastAtMost(own, Math.min(entry.after, last));
        at = crossed > cause ? crossed : cause;
        if (at > cause) crossings.push({ first: cause, last: at });
      }
      at = Math.max(at, previous?.at ?? -1);
      // Changes with one cause read as one note (`FIN_WAIT_2 → TIME_WAIT` on a FIN,ACK); any other cause gets its own.
      if (previous && cause !== null && previous.entries[0]!.segment === cause && previous.at === at) {
        previous.entries.push(entry);
        continue;
      }
      previous = { side, entries: [entry], at, receivedFrom };
      notes.push(previous);
    }
  }
  return { notes, crossings: mergeCrossings(crossings) };
}

/** The largest value in the sorted `values` that is at most `limit`, or -1. */
function lastAtMost(values: readonly number[], limit: number): number {
  let lo = 0;
  let hi = values.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= limit) {
      found = values[mid]!;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function mergeCrossings(crossings: Crossing[]): Crossing[] {
  const sorted = [...crossings].sort((a, b) => a.first - b.first);
  const out: Crossing[] = [];
  for (const c of sorted) {
    const previous = out.at(-1);
    if (previous && c.first <= previous.last) previous.last = Math.max(previous.last, c.last);
    else out.push({ ...c });
  }
  return out;
}
