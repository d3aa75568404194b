import type { DecodeStats } from '../decode/packet';

/** One reason records held no TCP that was read, and how many: what a capture's summary says was left out. */
export interface SkipCause {
  cause: 'fragments' | 'malformed' | 'linkType' | 'unread';
  count: number;
  /** The link type's number, or what was found that is not read (one of the decoder's fixed phrases). */
  what?: string;
}

/**
 * Why frames that may hold TCP were not read, by cause, largest first. Frames of other protocols (ARP, UDP, …) are
 * not among them: nothing of TCP is missing there.
 */
export function skippedCauses(stats: DecodeStats): SkipCause[] {
  const causes: SkipCause[] = [];
  if (stats.ipFragments) causes.push({ cause: 'fragments', count: stats.ipFragments });
  if (stats.malformed) causes.push({ cause: 'malformed', count: stats.malformed });
  for (const [what, count] of Object.entries(stats.unsupportedLinkTypes)) causes.push({ cause: 'linkType', count, what });
  for (const [what, count] of Object.entries(stats.unread ?? {})) causes.push({ cause: 'unread', count, what });
  return causes.sort((a, b) => b.count - a.count);
}

/** A cause in English (the command line's words; the extension says them in the user's language). */
export function skippedText(c: SkipCause): string {
  switch (c.cause) {
    case 'fragments': return `${c.count} IP fragments skipped (their datagram never completed)`;
    case 'malformed': return `${c.count} malformed packets skipped`;
    case 'linkType': return `${c.count} packets of unsupported link type ${c.what}`;
    case 'unread': return `${c.count} packets skipped: ${c.what}`;
  }
}
