/**
 * Makes text from a capture safe inside a Mermaid sequence-diagram label: `;` and `#` would start a new statement or
 * an entity, `<`/`>` could form HTML, and a line break would end the statement. Mermaid's entity codes (`#59;`) are
 * rendered as the character they stand for.
 */
const ENTITIES: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;', '%': '#37;' };

export function mermaidLabel(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[#;<>%]/g, (c) => ENTITIES[c]!);
}
