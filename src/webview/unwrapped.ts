// Mermaid looks up its whole configuration (a deep copy of some 600 keys) for every message and note that does not say
// whether its text wraps: a third of the time a page takes to draw. Our labels never wrap, so each says so with
// Mermaid's own `nowrap:` prefix. Done here, just before drawing, so that the Mermaid text users copy and export stays
// as it was written.

/** A message (`C->>S: …`, `S-xC: …`) or a note (`Note left of C: …`) as the diagram writer puts them on their lines. */
const LABELLED = /^(\s*(?:Note (?:left of|right of|over) [^:\n]+|[A-Za-z0-9_]+-[-x>)]+[A-Za-z0-9_]+):)\s*/gm;

export function unwrapped(text: string): string {
  return text.replace(LABELLED, '$1 nowrap:');
}
