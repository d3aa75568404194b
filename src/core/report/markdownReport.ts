import type { TcpState } from '../tcp/states';

/** What a Markdown section says of a connection besides its diagram. */
export interface ConnectionFacts {
  id: number;
  client: string;
  server: string;
  outcome: string;
  packets: number;
  duration: number;
  states: { client: TcpState; server: TcpState };
  /** A scenario's title. */
  title?: string | undefined;
}

/** A connection's heading, a line on how it went, and one `mermaid` block per page (each with a heading if several). */
export function markdownSection(c: ConnectionFacts, pages: readonly string[], level: number): string {
  const hashes = '#'.repeat(level);
  const name = `Connection ${c.id}: ${c.client} → ${c.server}`;
  let out = `${hashes} ${c.title ? `${c.title} (${name})` : name}\n\n`;
  const duration = Number.isFinite(c.duration) ? `, ${c.duration} s` : '';
  out += `${c.outcome}: ${c.packets} packets${duration}; final states: client ${c.states.client}, server ${c.states.server}.\n`;
  pages.forEach((text, i) => {
    if (pages.length > 1) out += `\n${hashes}# Page ${i + 1} of ${pages.length}\n`;
    // Each block holds exactly one diagram: Mermaid renders a block as one document.
    out += `\n\`\`\`mermaid\n${text}\`\`\`\n`;
  });
  return out;
}

/**
 * A connection's diagram as `.mmd` files, each exactly one diagram (Mermaid reads a file as one document): the first
 * page under the chosen name, the others beside it as `NAME-page-2.mmd` and so on.
 */
export function mermaidFiles(path: string, pages: readonly string[]): Array<{ path: string; text: string }> {
  const paths = pagePaths(path, pages.length);
  return pages.map((text, i) => ({ path: paths[i]!, text }));
}

/** Where `count` pages of one export go: the first under the chosen name, the others as `NAME-page-2.EXT` and so on. */
export function pagePaths(path: string, count: number): string[] {
  const dot = path.lastIndexOf('.');
  const [stem, ext] = dot > path.lastIndexOf('/') ? [path.slice(0, dot), path.slice(dot)] : [path, ''];
  return Array.from({ length: count }, (_, i) => (i === 0 ? path : `${stem}-page-${i + 1}${ext}`));
}
