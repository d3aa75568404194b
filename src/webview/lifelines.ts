// Sticky participants: in a long diagram nobody remembers which lifeline is which, so the participant boxes stay at
// the top of the view while it scrolls, each with its endpoint's state at the point scrolled to (the last state note
// above the boxes' lower edge).
import { statesNamed, type DiagramColours } from './theme';

const SVG = 'http://www.w3.org/2000/svg';
/** Room under the boxes for the state, in the diagram's own units. */
const STATE_ROW = 26;

interface Participant {
  centre: number;
  label: SVGTextElement;
  box: SVGRectElement;
}

export interface Lifelines {
  /** Follows the diagram's size after a zoom. */
  resize(zoom: number): void;
  /** Shows the states at the current scroll position. */
  update(): void;
  /**
   * Step mode: these states (the left participant's, the right's) always stand under the boxes, scrolled or not, the
   * ones the step changed marked; none, back to following the scroll.
   */
  pin(states: { client: string; server: string; changed: Array<'client' | 'server'> } | undefined): void;
}

/** Lays an overlay over `diagram`'s participant boxes inside `viewport` (its scroll container) that sticks to the top. */
export function stickyLifelines(viewport: HTMLElement, diagram: SVGSVGElement, colours: DiagramColours | undefined): Lifelines | undefined {
  const tops = [...diagram.querySelectorAll<SVGRectElement>('rect.actor-top')];
  if (tops.length === 0) return undefined;
  const [vx, vy, vw] = (diagram.getAttribute('viewBox') ?? '0 0 0 0').split(/\s+/).map(Number) as [number, number, number];
  const boxTop = Math.min(...tops.map((r) => Number(r.getAttribute('y'))));
  const boxBottom = Math.max(...tops.map((r) => Number(r.getAttribute('y')) + Number(r.getAttribute('height'))));
  const height = boxBottom - boxTop + STATE_ROW;
  const overlay = document.createElement('div');
  overlay.id = 'lifelines';
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `${vx} ${boxTop} ${vw} ${height}`);
  svg.setAttribute('aria-hidden', 'true');
  overlay.append(svg);
  // Mermaid's styles are scoped to the diagram's id: the copies keep that id's rules by living in a <g> that has it.
  const style = diagram.querySelector('style')?.cloneNode(true);
  if (style) svg.append(style);
  const scope = document.createElementNS(SVG, 'g');
  scope.id = diagram.id;
  svg.append(scope);
  // Behind the boxes once scrolled, so that the arrows passing under them do not run through their names.
  const band = document.createElementNS(SVG, 'rect');
  band.classList.add('tcpviz-sticky-band');
  for (const [name, value] of [['x', vx], ['y', boxTop], ['width', vw], ['height', height]] as const) band.setAttribute(name, String(value));
  // The theme's background comes from colourRules; this is for Mermaid's own themes.
  band.setAttribute('fill', 'white');
  band.setAttribute('fill-opacity', '0.92');
  scope.append(band);
  const participants: Participant[] = tops.map((rect) => {
    const group = rect.parentElement!.cloneNode(true) as SVGGElement;
    scope.append(group);
    const x = Number(rect.getAttribute('x'));
    const centre = x + Number(rect.getAttribute('width')) / 2;
    const box = document.createElementNS(SVG, 'rect');
    box.classList.add('tcpviz-sticky-state');
    const label = document.createElementNS(SVG, 'text');
    label.classList.add('tcpviz-sticky-state');
    label.setAttribute('x', String(centre));
    label.setAttribute('y', String(boxBottom + STATE_ROW - 8));
    label.setAttribute('text-anchor', 'middle');
    if (colours) {
      label.style.fontFamily = colours.fontFamily;
      label.style.fontSize = `${colours.fontSize}px`;
    }
    scope.append(box, label);
    return { centre, label, box };
  });
  // The state notes, top to bottom, each given to the participant whose lifeline is nearest.
  const notes = [...diagram.querySelectorAll<SVGTextElement>('.noteText')].flatMap((text) => {
    // Where the endpoint is after the note: the last state it names (`FIN_WAIT_2 → TIME_WAIT`).
    const state = statesNamed(text.textContent ?? '').at(-1);
    const rect = text.parentElement?.querySelector('rect.note');
    if (!state || !rect) return [];
    const x = Number(rect.getAttribute('x')) + Number(rect.getAttribute('width')) / 2;
    const nearest = participants.reduce((best, p, i) => (Math.abs(p.centre - x) < Math.abs(participants[best]!.centre - x) ? i : best), 0);
    return [{ y: Number(rect.getAttribute('y')), participant: nearest, state }];
  }).sort((a, b) => a.y - b.y);
  viewport.querySelector('#lifelines')?.remove();
  viewport.prepend(overlay);
  let zoom = 1;
  let pinned: Parameters<Lifelines['pin']>[0];
  // A state's width, measured once: measuring after a change makes the browser lay the page out again at once, which
  // on a long diagram took longer than the rest of a step.
  const widths = new Map<string, number>();
  const widthOf = (label: SVGTextElement, state: string) => {
    let width = widths.get(state);
    if (width === undefined) widths.set(state, (width = label.getComputedTextLength() + 16));
    return width;
  };
  let scrollTop = 0;
  // `top`: where the view is scrolled to, read again unless the caller has just changed the page (a step: reading it
  // then would lay the page out at once; the scroll that follows brings its own update).
  const update = (top = viewport.scrollTop) => {
    scrollTop = top;
    // The boxes sit where the diagram draws them until they reach the top of the view, then stay there.
    const below = (boxTop - vy) * zoom - top;
    // A transform, not a margin: a margin would collapse through the zero-height overlay and move the diagram too.
    svg.style.transform = `translateY(${Math.max(0, below)}px)`;
    // Where the boxes' lower edge is, in the diagram's units: the notes above it have happened.
    const at = Math.max(boxBottom, vy + top / zoom + boxBottom - boxTop);
    const scrolled = below < -STATE_ROW * zoom;
    overlay.classList.toggle('scrolled', scrolled);
    band.setAttribute('visibility', scrolled ? 'visible' : 'hidden');
    participants.forEach((p, i) => {
      // The client is drawn on the left (Mermaid's boxes are not in that order in the SVG).
      const side = p.centre === Math.min(...participants.map((q) => q.centre)) ? 'client' : 'server';
      const shown = pinned !== undefined || scrolled;
      const state = (pinned ? pinned[side] : notes.filter((n) => n.participant === i && n.y < at).at(-1)?.state) ?? '';
      const changed = pinned?.changed.includes(side) ?? false;
      // Written only when it differs: this runs on every scrolled frame.
      if (p.label.textContent !== (shown ? state : '')) p.label.textContent = shown ? state : '';
      p.label.classList.toggle('tcpviz-step-changed', changed);
      p.box.classList.toggle('tcpviz-step-changed', changed);
      p.box.setAttribute('visibility', shown && state ? 'visible' : 'hidden');
      if (shown && state) {
        const width = widthOf(p.label, state);
        p.box.setAttribute('x', String(p.centre - width / 2));
        p.box.setAttribute('y', String(boxBottom + 2));
        p.box.setAttribute('width', String(width));
        p.box.setAttribute('height', String(STATE_ROW - 4));
      }
    });
  };
  const resize = (next: number) => {
    zoom = next;
    svg.setAttribute('width', String(vw * zoom));
    svg.setAttribute('height', String(height * zoom));
    update();
  };
  const pin = (states: typeof pinned) => {
    pinned = states;
    update(scrollTop);
  };
  return { resize, update, pin };
}
