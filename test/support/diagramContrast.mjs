// What a reader meets in the diagram's page, measured from the colours the page computed: shared by the theme and
// web end-to-end tests.

/**
 * In the diagram's page, one function (as `evaluate` takes it whole, given the body and what to measure).
 * `diagram`: the lowest contrast of each kind of thing drawn against what it is drawn on (the text of arrows on the
 * page's background, arrow lines, note text on its note, participant names on their boxes and the boxes' borders on
 * the background, state-note borders), and the smallest arrow label's height on screen. `compare:N`: the same of a
 * comparison's column N (from 0), and its heading's contrast on the page.
 * `controls`: the lowest contrast of the step controls' text (the buttons that can be pressed, the speed, the counter,
 * the explanation, and in predict mode the eleven states and the score) against what each is drawn on (its own
 * background and its parents', laid over each other), with the control that has it.
 */
export function measure(_body, what) {
  const rgb = (text) => {
    const m = /rgba?\(([^)]+)\)/.exec(text);
    if (!m) return undefined;
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const lum = ({ r, g, b }) => [r, g, b].map((c) => c / 255).map((s) => (s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  if (what === 'controls') {
    const backdrop = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) layers.push(rgb(getComputedStyle(e).backgroundColor));
      return layers.reverse().reduce((under, layer) => over(layer, under), { r: 255, g: 255, b: 255, a: 1 });
    };
    const controls = [...document.querySelectorAll('#steps button:not(:disabled), #steps select, #stepCounter, #quizScore, #stepText, #quiz button')]
      .filter((e) => e.getClientRects().length > 0 && e.textContent.trim() !== '');
    return controls.map((e) => ({ what: e.id || e.dataset.state || e.tagName, contrast: ratio(over(rgb(getComputedStyle(e).color), backdrop(e)), backdrop(e)) }))
      .reduce((low, c) => (c.contrast < low.contrast ? c : low), { what: 'none', contrast: Infinity });
  }
  const background = rgb(getComputedStyle(document.body).backgroundColor);
  const paint = (el, property) => over(rgb(getComputedStyle(el)[property]) ?? { r: 0, g: 0, b: 0, a: 0 }, background);
  const column = what.startsWith('compare:') ? document.querySelectorAll('.compareColumn')[Number(what.slice('compare:'.length))] : undefined;
  const svg = column ? column.querySelector('svg') : document.querySelector('#diagram svg');
  const lowest = (elements, f) => Math.min(...[...elements].map(f));
  const noteOf = (text) => text.parentElement.querySelector('rect.note');
  const actorBoxOf = (text) => text.closest('g').querySelector('rect.actor');
  return {
    arrowText: lowest(svg.querySelectorAll('.messageText'), (t) => ratio(paint(t, 'fill'), background)),
    arrowLine: lowest(svg.querySelectorAll('.messageLine0, .messageLine1'), (l) => ratio(paint(l, 'stroke'), background)),
    noteText: lowest(svg.querySelectorAll('.noteText'), (t) => ratio(paint(t, 'fill'), paint(noteOf(t), 'fill'))),
    // A participant's name is painted by its tspan (the text element itself carries the box's class and fill).
    actorText: lowest(svg.querySelectorAll('text.actor > tspan'), (t) => ratio(paint(t, 'fill'), paint(actorBoxOf(t), 'fill'))),
    actorBorder: lowest(svg.querySelectorAll('rect.actor'), (r) => ratio(paint(r, 'stroke'), background)),
    noteBorder: lowest(svg.querySelectorAll('rect.note.tcpviz-phase'), (r) => ratio(paint(r, 'stroke'), background)),
    phases: new Set([...svg.querySelectorAll('rect.note.tcpviz-phase')].map((r) => getComputedStyle(r).stroke)).size,
    labelHeight: Math.min(...[...svg.querySelectorAll('.messageText')].map((t) => t.getBoundingClientRect().height)),
    ...(column ? { heading: ratio(paint(column.querySelector('h2'), 'color'), background) } : {}),
  };
}
