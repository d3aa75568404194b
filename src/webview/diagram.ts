// The diagram page inside the webview: renders Mermaid, follows the theme, zooms, pans, turns pages, shows segment
// details and maps clicks on arrows back to segments. It never imports vscode; it talks to the host by messages.
import mermaid from 'mermaid';
import { ENGLISH_PANEL_WORDS, type PanelWords } from '../shared/panelWords';
import type { DiagramView, FromWebview, Notice, SegmentDetail, ToWebview } from '../shared/protocol';
import { stickyLifelines, type Lifelines } from './lifelines';
import { packetOf, stepper } from './stepMode';
import { colourRules, PHASE_OF, statesNamed, themeColours, type DiagramColours, type Phase } from './theme';
import { unwrapped } from './unwrapped';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): { view?: DiagramView; zoom?: number } | undefined;
  setState(state: { view?: DiagramView; zoom?: number }): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = (id: string) => document.getElementById(id)!;
// A view saved by an older version (every page at once, or without the notes' spans) is not drawn again: the host
// sends the current one.
let view: DiagramView | undefined = Array.isArray(vscode.getState()?.view?.noteSpans) ? vscode.getState()!.view : undefined;
let zoom = vscode.getState()?.zoom ?? 1;
/** The zoom before a comparison shrank its two columns to fit, given back when it ends. */
let zoomBeforeCompare: number | undefined;
let renderCount = 0;
let exportCount = 0;
/** Which connection and page is drawn ("key@page"): another starts at its top. */
let shown: string | undefined;
let lifelines: Lifelines | undefined;
/** The colours the diagram on screen was drawn in (its fonts among them). */
let drawnWith: DiagramColours | undefined;

/** One of the panel's phrases in the user's language, its placeholders filled in. */
function say(phrase: keyof PanelWords, ...values: Array<string | number>): string {
  return (view?.words ?? ENGLISH_PANEL_WORDS)[phrase].replace(/\{(\d)\}/g, (_, i: string) => String(values[Number(i)] ?? ''));
}

function save(): void {
  vscode.setState({ view, zoom });
}

const steps = stepper({
  page: () => (view ? { count: view.segmentCount, segments: segmentsOf(view), noteSpans: view.noteSpans } : undefined),
  mark: highlight,
  turnTo: (index) => view && vscode.postMessage({ type: 'turn', page: view.page, highlight: index }),
  pin: (states) => lifelines?.pin(states),
  counter: (step, count) => say('step', step, count),
  quizWords: {
    question: (packet) => say('predictQuestion', packet),
    right: (side, state) => say('predictRight', say(side), state),
    wrong: (side, chosen, state) => say('predictWrong', say(side), chosen, state),
    score: (right, asked) => say('predictScore', right, asked),
    arrowQuestion: (side, state) => say('arrowQuestion', say(side), state),
    arrowRight: (packet, side, state) => say('arrowRight', packet, say(side), state),
    arrowWrong: (chosen, packet, side, state) => say('arrowWrong', chosen, packet, say(side), state),
    noArrowQuestion: () => say('noArrowQuestion'),
  },
  remember: (index) => {
    if (!view) return;
    // Not saved here: saving copies the whole view (its page's Mermaid text and segments), which held the page for
    // up to 0.1 s on a long page; the host keeps the step and sends it again with the view when the panel comes back.
    view.highlight = index;
    vscode.postMessage({ type: 'stepped', segment: index, counter: $('stepCounter').textContent ?? '' });
  },
});

/** The colours of the VS Code theme on show, unless the user chose one of Mermaid's own themes. */
function coloursOf(theme: DiagramView['theme']): DiagramColours | undefined {
  if (theme !== 'auto') return undefined;
  const style = getComputedStyle(document.documentElement);
  return themeColours((name) => style.getPropertyValue(name), document.body.classList);
}

/** Mermaid's configuration: its `base` theme in the theme's colours, at the editor's font size, drawn at its own size. */
function mermaidConfig(theme: DiagramView['theme'], colours: DiagramColours | undefined): Parameters<typeof mermaid.initialize>[0] {
  const size = colours?.fontSize ?? 14;
  const fonts = { messageFontSize: size, noteFontSize: size, actorFontSize: size };
  const common = { startOnLoad: false, securityLevel: 'strict' as const, maxTextSize: 200000, look: 'classic' as const };
  // Not scaled to the panel's width: 100% is the editor's font size however wide the panel is.
  const family = colours?.fontFamily;
  const families = family ? { messageFontFamily: family, noteFontFamily: family, actorFontFamily: family } : {};
  const sequence = { useMaxWidth: false, ...fonts, ...families };
  if (!colours) return { ...common, theme: theme === 'auto' ? 'default' : theme, sequence };
  return {
    ...common,
    theme: 'base',
    fontFamily: colours.fontFamily,
    themeVariables: {
      darkMode: false, background: colours.background, fontFamily: colours.fontFamily, fontSize: `${size}px`,
      primaryColor: colours.actorFill, primaryTextColor: colours.actorText, primaryBorderColor: colours.actorBorder,
      lineColor: colours.line, textColor: colours.foreground, mainBkg: colours.actorFill,
      actorBkg: colours.actorFill, actorBorder: colours.actorBorder, actorTextColor: colours.actorText, actorLineColor: colours.line,
      signalColor: colours.line, signalTextColor: colours.foreground,
      noteBkgColor: colours.noteFill, noteTextColor: colours.noteText, noteBorderColor: colours.noteBorder,
      labelBoxBkgColor: colours.actorFill, labelBoxBorderColor: colours.actorBorder, labelTextColor: colours.actorText,
      loopTextColor: colours.foreground, sequenceNumberColor: colours.background,
    },
    sequence,
  };
}

/** Marks each state note with its phase (its colour comes from colourRules). */
function decorate(svg: SVGSVGElement): void {
  for (const text of svg.querySelectorAll('.noteText')) {
    const state = statesNamed(text.textContent ?? '').at(-1);
    const phase = state && PHASE_OF[state];
    if (phase) text.parentElement?.querySelector('rect.note')?.classList.add('tcpviz-phase', `tcpviz-phase-${phase}`);
  }
}

/** The colours on screen: the theme's (see colourRules), or none of ours when the user chose one of Mermaid's themes. */
function showColours(current: DiagramView, colours: DiagramColours | undefined): void {
  let sheet = document.getElementById('colours');
  if (!sheet) {
    sheet = document.createElement('style');
    sheet.id = 'colours';
    document.head.append(sheet);
  }
  sheet.textContent = colours ? colourRules(colours, '#viewport svg') : '';
  legend(current, colours);
}

/** The banner above the diagram: what went wrong, or nothing. */
function showNotice(notice: Notice | undefined): void {
  const box = $('notice');
  box.hidden = !notice;
  if (!notice) return;
  box.className = notice.kind;
  $('noticeText').textContent = notice.text;
  const open = $('openAsText') as HTMLButtonElement;
  open.hidden = !notice.openAsText;
  open.onclick = () => notice.openAsText && vscode.postMessage({ type: 'openAsText', uri: notice.openAsText });
}

/** Nothing drawn: a message takes the diagram's place. */
function clearDiagram(): void {
  view = undefined;
  shown = undefined;
  lifelines = undefined;
  ++renderCount;
  save();
  $('diagram').replaceChildren();
  $('viewport').querySelector('#lifelines')?.remove();
  $('title').textContent = '';
  $('pageLabel').textContent = '';
  $('legend').hidden = true;
  $('explanation').hidden = true;
  $('compare').hidden = true;
  document.body.classList.remove('comparing');
  showChoices(undefined, undefined);
}

/** The capture editor's chooser (and its search box), with `key` chosen, or neither in the diagram panel. */
function showChoices(list: DiagramView['choices'], key: string | undefined): void {
  const choices = $('choices') as HTMLSelectElement;
  choices.hidden = !list;
  $('find').hidden = !list;
  if (!list) return;
  // Built in a fragment, not spread into one call (the list once held every connection, and 130,000 overflowed it).
  const options = document.createDocumentFragment();
  for (const c of list) {
    const option = new Option(c.label, c.key);
    // A line that says something (no match, more matches) is not a connection to choose.
    option.disabled = c.key === '';
    options.append(option);
  }
  choices.replaceChildren(options);
  if (key !== undefined && list.some((c) => c.key === key)) choices.value = key;
  else choices.selectedIndex = -1;
}

/** The legend of the note borders' colours, in the user's language. */
function legend(current: DiagramView, colours: DiagramColours | undefined): void {
  const box = $('legend');
  box.hidden = !colours || !current.phaseNames;
  if (box.hidden) return;
  box.replaceChildren(...(Object.keys(colours!.phases) as Phase[]).map((phase) => {
    const chip = document.createElement('span');
    chip.className = 'chip';
    chip.style.borderColor = colours!.phases[phase];
    chip.textContent = current.phaseNames![phase];
    return chip;
  }));
}


/** The view's segment details, parsed once per view (they come as JSON text). */
let details: { of: DiagramView | undefined; segments: SegmentDetail[] } = { of: undefined, segments: [] };

function segmentsOf(current: DiagramView): SegmentDetail[] {
  if (details.of !== current) details = { of: current, segments: JSON.parse(current.segments) as SegmentDetail[] };
  return details.segments;
}

function segmentOf(label: Element): SegmentDetail | undefined {
  const packet = packetOf(label);
  return view && segmentsOf(view).find((s) => s.packet === packet);
}

function showLines(lines: string[], x: number, y: number): void {
  const box = $('details');
  if (lines.length === 0) {
    box.hidden = true;
    return;
  }
  box.replaceChildren();
  for (const line of lines) {
    const div = document.createElement('div');
    div.textContent = line;
    box.append(div);
  }
  box.style.left = `${x + 12}px`;
  box.style.top = `${y + 12}px`;
  box.hidden = false;
}

/** A state note (`FIN_WAIT_2 → TIME_WAIT (…)`) explained: what each state it names means. */
function stateLines(note: Element): string[] {
  const help = view?.stateHelp ?? {};
  return (note.textContent ?? '').split(/\s*→\s*/).map((part) => part.split(' ')[0]!).filter((state) => help[state]).map((state) => `${state}: ${help[state]}`);
}

/** How the window was worked out from the raw field, as Wireshark's window-size lines say it. */
function windowFactor(s: SegmentDetail): string {
  if (s.windowShift >= 0) return say('scaled', s.rawWindow, 2 ** s.windowShift);
  return say(s.windowShift === -2 ? 'notScaled' : 'scaleUnknown');
}

function showDetails(s: SegmentDetail | undefined, x: number, y: number): void {
  if (!s) {
    showLines([], 0, 0);
    return;
  }
  const lines = [
    say('segment', s.packet, s.flags, s.from),
    say('numbers', s.relSeq, s.seq, s.relAck, s.ack),
    say('sizes', s.len, s.window, windowFactor(s)),
    s.options && say('options', s.options),
    s.via && say('via', s.via),
    s.analysis.length ? `⚠ ${s.analysis.join('; ')}` : '',
  ].filter((line): line is string => Boolean(line));
  showLines(lines, x, y);
}

/** The drawn diagram's own size (at 100%), from its viewBox. */
function naturalSize(svg: SVGSVGElement): { width: number; height: number } {
  const [, , width, height] = (svg.getAttribute('viewBox') ?? '0 0 0 0').split(/\s+/).map(Number) as [number, number, number, number];
  return { width, height };
}

/** Draws the diagram at `zoom`: the SVG's own size scaled (vector, so text stays sharp, and the scroll area follows). */
function applyZoom(): void {
  // One diagram, or the two of a comparison.
  for (const svg of $('diagram').querySelectorAll<SVGSVGElement>(':scope > svg, :scope > .compareColumn > svg')) {
    const { width, height } = naturalSize(svg);
    svg.setAttribute('width', String(width * zoom));
    svg.setAttribute('height', String(height * zoom));
    svg.style.maxWidth = 'none';
  }
  lifelines?.resize(zoom);
  $('zoomReset').textContent = `${Math.round(zoom * 100)}%`;
  save();
}

/** Zooms to `next`, keeping the point of the diagram under (x, y) (client coordinates; default the centre) where it is. */
function zoomTo(next: number, x?: number, y?: number): void {
  const viewport = $('viewport');
  const box = viewport.getBoundingClientRect();
  const px = (x ?? box.left + box.width / 2) - box.left;
  const py = (y ?? box.top + box.height / 2) - box.top;
  const ratio = Math.min(4, Math.max(0.2, next)) / zoom;
  const [left, top] = [(viewport.scrollLeft + px) * ratio - px, (viewport.scrollTop + py) * ratio - py];
  zoom *= ratio;
  applyZoom();
  viewport.scrollLeft = left;
  viewport.scrollTop = top;
}

/** The space between a comparison's two diagrams, CSS pixels (diagram.css: the gap, the border and the padding). */
const COMPARE_GAP = 16 + 1 + 16;
/** A comparison is shrunk to fit at most to this, its text to three quarters of the editor's size. Narrower, it scrolls. */
const MOST_COMPARE_SHRINK = 0.75;

/** The zoom at which the whole width of the diagram fits the panel. */
function fitWidth(): void {
  // A comparison's two diagrams fit together, with the gap between them.
  const svgs = [...$('diagram').querySelectorAll<SVGSVGElement>(':scope > svg, :scope > .compareColumn > svg')];
  if (!svgs.length) return;
  const width = svgs.reduce((sum, svg) => sum + naturalSize(svg).width, 0);
  const gaps = (svgs.length - 1) * COMPARE_GAP;
  const { left, top } = $('viewport').getBoundingClientRect();
  zoomTo(($('viewport').clientWidth - 4 - gaps) / width, left, top);
  $('viewport').scrollLeft = 0;
}

/**
 * Marks a segment's arrow (its label and its line) and the notes of the state changes it caused, and scrolls them into
 * view; whatever was marked before is not any more.
 */
function highlight(segment: number): void {
  if (!view) return;
  const packet = segmentsOf(view).find((s) => s.index === segment)?.packet;
  const diagram = $('diagram');
  const labels = [...diagram.querySelectorAll('.messageText')];
  // Mermaid draws each arrow's line right after its label, in the same order.
  const lines = [...diagram.querySelectorAll('.messageLine0, .messageLine1')];
  const texts = [...diagram.querySelectorAll('.noteText')];
  const arrows = labels.flatMap((label, i) => (packet !== undefined && packetOf(label) === packet ? [label, lines[i]] : []));
  // Its state notes, or, for a segment not drawn by itself, the note summarising it.
  const summarises = (i: number) => {
    const span = view!.noteSpans[i];
    return span !== null && span !== undefined && span[0] <= segment && segment <= span[1];
  };
  const notes = texts.flatMap((text, i) => (segment >= 0 && (view!.noteCauses[i] === segment || summarises(i))
    ? [text, text.parentElement?.querySelector('rect.note')] : []));
  const hits = new Set([...arrows, ...notes].filter((e): e is Element => e !== undefined && e !== null));
  // Where they are is read before any class changes, and the view scrolled once the whole step is on the page: a read
  // after a change, or a scroll before the last change, makes the browser lay the page out again at once.
  const to = arrows.length > 0 || texts.some((_, i) => summarises(i)) ? scrollToShow([...hits].map((e) => e.getBoundingClientRect())) : undefined;
  for (const e of [...labels, ...lines, ...texts]) e.classList.toggle('tcpviz-highlight', hits.has(e));
  for (const e of diagram.querySelectorAll('rect.note')) e.classList.toggle('tcpviz-highlight', hits.has(e));
  if (to) queueMicrotask(() => $('viewport').scrollTo(to));
}

/** Where to scroll so that `boxes` stand in the middle of the view (their left edge, if together they are wider). */
function scrollToShow(boxes: DOMRect[]): { left: number; top: number } {
  const viewport = $('viewport');
  const frame = viewport.getBoundingClientRect();
  const left = Math.min(...boxes.map((b) => b.left));
  const right = Math.max(...boxes.map((b) => b.right));
  const top = Math.min(...boxes.map((b) => b.top));
  const bottom = Math.max(...boxes.map((b) => b.bottom));
  const dx = right - left < frame.width ? (left + right) / 2 - (frame.left + frame.width / 2) : left - frame.left - 16;
  return { left: viewport.scrollLeft + dx, top: viewport.scrollTop + (top + bottom) / 2 - (frame.top + frame.height / 2) };
}

async function render(): Promise<void> {
  if (!view) return;
  const ticket = ++renderCount;
  document.body.classList.toggle('comparing', !!view.compare);
  $('compare').hidden = !view.comparable || !!view.compare;
  $('title').textContent = view.title;
  showNotice(view.notice);
  $('explanation').hidden = !view.explanation;
  $('explanationText').textContent = view.explanation ?? '';
  $('osNote').hidden = !view.osNote;
  $('osNoteText').textContent = view.osNote ?? '';
  showChoices(view.choices, view.key);
  $('pageLabel').textContent = view.pageCount > 1 ? ` ${say('page', view.page + 1, view.pageCount)} ` : '';
  ($('prev') as HTMLButtonElement).disabled = view.page === 0;
  ($('next') as HTMLButtonElement).disabled = view.page >= view.pageCount - 1;
  const error = $('error');
  if (view.compare) {
    steps.leave();
    await renderCompare(view, view.compare.columns, ticket).catch((e) => {
      error.textContent = say('failed', e instanceof Error ? e.message : String(e));
      error.hidden = false;
    });
    return;
  }
  if (zoomBeforeCompare !== undefined) {
    zoom = zoomBeforeCompare;
    zoomBeforeCompare = undefined;
  }
  try {
    const colours = coloursOf(view.theme);
    mermaid.initialize(mermaidConfig(view.theme, colours));
    const { text } = view;
    const started = performance.now();
    const { svg } = await mermaid.render(`tcpviz-${ticket}`, unwrapped(text));
    if (ticket !== renderCount) return;
    $('diagram').innerHTML = svg;
    const drawn = $('diagram').querySelector('svg')!;
    decorate(drawn);
    showColours(view, colours);
    drawnWith = colours;
    lifelines = stickyLifelines($('viewport'), drawn, colours);
    // Another connection or page starts at its top, with its participants in view.
    const shownNow = `${view.key}@${view.page}`;
    if (shownNow !== shown) $('viewport').scrollTo(0, 0);
    shown = shownNow;
    // How long drawing took (Mermaid, and the phases and sticky participants added to it), for the benchmark.
    $('diagram').dataset.renderMs = (performance.now() - started).toFixed(0);
    // When it was on screen (the frame after the one it was drawn in), by the machine's clock, for the benchmark.
    requestAnimationFrame(() => requestAnimationFrame(() => ($('diagram').dataset.shownAt = String(Date.now()))));
    error.hidden = true;
    for (const label of $('diagram').querySelectorAll('.messageText')) {
      label.addEventListener('mousemove', (e) => showDetails(segmentOf(label), (e as MouseEvent).clientX, (e as MouseEvent).clientY));
      label.addEventListener('mouseleave', () => showDetails(undefined, 0, 0));
      label.addEventListener('click', () => {
        const s = segmentOf(label);
        if (!s || !view || steps.answerArrow(s.index)) return;
        // Stepping, a click moves the step to that arrow.
        if (steps.current !== undefined) {
          steps.go(s.index);
          return;
        }
        view.highlight = s.index;
        highlight(s.index);
        save();
        vscode.postMessage({ type: 'segmentClicked', segment: s.index });
      });
    }
    for (const note of $('diagram').querySelectorAll('.noteText')) {
      note.addEventListener('mousemove', (e) => showLines(stateLines(note), (e as MouseEvent).clientX, (e as MouseEvent).clientY));
      note.addEventListener('mouseleave', () => showLines([], 0, 0));
    }
    applyZoom();
    if (view.highlight >= 0) highlight(view.highlight);
    if (view.stepping && view.highlight >= 0) {
      // Opened by a link to a step: step mode there (once; a page drawn again later does not start it again).
      view.stepping = false;
      steps.go(view.highlight);
    } else steps.shown(view.highlight);
    const svgElement = $('diagram').querySelector('svg')!;
    vscode.postMessage({
      type: 'rendered', page: view.page,
      messages: svgElement.querySelectorAll('.messageText').length, notes: svgElement.querySelectorAll('.noteText').length,
    });
  } catch (e) {
    error.textContent = say('failed', e instanceof Error ? e.message : String(e));
    error.hidden = false;
    vscode.postMessage({ type: 'error', message: error.textContent });
  }
}

/**
 * The same page as two profiles play it, side by side, each under its profile's name: read across, the rows that differ
 * stand out (a TIME_WAIT of 240 s beside one of 60 s). Drawn as the single diagram is, without its step mode.
 */
async function renderCompare(current: DiagramView, columns: Array<{ label: string; text: string }>, ticket: number): Promise<void> {
  const colours = coloursOf(current.theme);
  // Narrower than the single diagram, so that two fit across: participants stand closer (the worker drew the labels
  // short and broke long notes in two).
  const config = mermaidConfig(current.theme, colours);
  mermaid.initialize({ ...config, sequence: { ...config.sequence, actorMargin: 24, noteMargin: 6 } });
  const drawn = await Promise.all(columns.map((c, i) => mermaid.render(`tcpviz-${ticket}-compare-${i}`, unwrapped(c.text))));
  if (ticket !== renderCount) return;
  $('diagram').replaceChildren(...columns.map((c, i) => {
    const column = document.createElement('section');
    column.className = 'compareColumn';
    const heading = document.createElement('h2');
    heading.textContent = c.label;
    column.append(heading);
    column.insertAdjacentHTML('beforeend', drawn[i]!.svg);
    decorate(column.querySelector('svg')!);
    return column;
  }));
  $('viewport').querySelector('#lifelines')?.remove();
  lifelines = undefined;
  showColours(current, colours);
  drawnWith = colours;
  // Entering a comparison: both columns in view where they fit at a readable size (at least MOST_COMPARE_SHRINK).
  const entering = shown !== `${current.key}@compare`;
  shown = `${current.key}@compare`;
  $('error').hidden = true;
  if (entering) {
    zoomBeforeCompare ??= zoom;
    const width = [...$('diagram').querySelectorAll<SVGSVGElement>('.compareColumn > svg')].reduce((sum, svg) => sum + naturalSize(svg).width, 0);
    zoom = Math.min(1, Math.max(MOST_COMPARE_SHRINK, ($('viewport').clientWidth - 4 - COMPARE_GAP) / width));
  }
  applyZoom();
  vscode.postMessage({
    type: 'rendered', page: current.page, messages: 0, notes: 0,
    columns: [...$('diagram').querySelectorAll('.compareColumn')].map((column, i) => ({
      label: columns[i]!.label, messages: column.querySelectorAll('.messageText').length, notes: column.querySelectorAll('.noteText').length,
    })),
  });
}

/**
 * Every page asked for, drawn as on screen (the theme's colours, the notes' phases) at its own size, whatever the
 * zoom: SVG text, or PNG data URLs at twice the size.
 */
async function exportImages(format: 'svg' | 'png', pages: string[]): Promise<string[]> {
  if (!view) throw new Error('nothing drawn');
  const colours = coloursOf(view.theme);
  mermaid.initialize(mermaidConfig(view.theme, colours));
  const out: string[] = [];
  for (const [i, text] of pages.entries()) {
    // Its own ids: a render on screen meanwhile is not disturbed.
    const { svg: markup } = await mermaid.render(`tcpviz-export-${++exportCount}-${i}`, unwrapped(text));
    const holder = document.createElement('div');
    holder.innerHTML = markup;
    const svg = holder.querySelector('svg')!;
    decorate(svg);
    if (colours) {
      const sheet = document.createElementNS('http://www.w3.org/2000/svg', 'style');
      sheet.textContent = colourRules(colours, `svg#${CSS.escape(svg.id)}`);
      svg.append(sheet);
    }
    const { width, height } = naturalSize(svg);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    svg.style.maxWidth = 'none';
    // The page's own background, so that the picture reads the same outside the editor.
    svg.style.backgroundColor = colours?.background ?? getComputedStyle(document.body).backgroundColor;
    const serialized = new XMLSerializer().serializeToString(svg);
    if (format === 'svg') {
      out.push(serialized);
      continue;
    }
    const image = new Image();
    image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(serialized)))}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width) * 2;
    canvas.height = Math.ceil(height) * 2;
    const context = canvas.getContext('2d')!;
    context.fillStyle = svg.style.backgroundColor || 'white';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    out.push(canvas.toDataURL('image/png'));
  }
  return out;
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'show') {
    // Another connection ends step mode; the same one's other page goes on with it.
    if (message.view.key !== view?.key) steps.leave();
    view = message.view;
    save();
    void render();
  } else if (message.type === 'notice') {
    if (!message.outdated) clearDiagram();
    showNotice(message.notice);
    vscode.postMessage({ type: 'noticeShown', text: message.notice.text, diagram: $('diagram').querySelector('svg') !== null });
  } else if (message.type === 'highlight' && view) {
    if (segmentsOf(view).some((s) => s.index === message.segment)) {
      view.highlight = message.segment;
      highlight(message.segment);
      save();
    } else {
      // On another page: the host sends that page, highlighted.
      vscode.postMessage({ type: 'turn', page: view.page, highlight: message.segment });
    }
  } else if (message.type === 'choices') {
    showChoices(message.choices, view?.key);
    if (view) view.choices = message.choices;
  } else if (message.type === 'export') {
    exportImages(message.format, message.pages).then(
      (data) => vscode.postMessage({ type: 'exported', format: message.format, data }),
      (e) => vscode.postMessage({ type: 'exported', format: message.format, error: e instanceof Error ? e.message : String(e) }),
    );
  }
});

let finding: ReturnType<typeof setTimeout> | undefined;
$('find').addEventListener('input', () => {
  clearTimeout(finding);
  finding = setTimeout(() => vscode.postMessage({ type: 'find', text: ($('find') as HTMLInputElement).value }), 150);
});
$('choices').addEventListener('change', () => {
  vscode.postMessage({ type: 'choose', key: ($('choices') as HTMLSelectElement).value });
});
// The host keeps the other pages: a turn asks it for one.
$('prev').addEventListener('click', () => {
  if (view && view.page > 0) vscode.postMessage({ type: 'turn', page: view.page - 1, highlight: -1 });
});
$('next').addEventListener('click', () => {
  if (view && view.page < view.pageCount - 1) vscode.postMessage({ type: 'turn', page: view.page + 1, highlight: -1 });
});
for (const [id, act] of [['stepFirst', steps.first], ['stepPrevious', steps.previous], ['stepPlay', steps.togglePlay],
  ['stepNext', steps.next], ['stepLast', steps.last], ['stepPredict', steps.togglePredict], ['stepArrow', steps.askArrow], ['stepLeave', steps.leave]] as const) {
  $(id).addEventListener('click', act);
}
$('compare').addEventListener('click', () => vscode.postMessage({ type: 'compare' }));
$('compareLeave').addEventListener('click', () => vscode.postMessage({ type: 'leaveCompare' }));
$('zoomIn').addEventListener('click', () => zoomTo(zoom * 1.25));
$('zoomOut').addEventListener('click', () => zoomTo(zoom / 1.25));
$('zoomReset').addEventListener('click', () => zoomTo(1));
$('fit').addEventListener('click', fitWidth);
$('viewport').addEventListener('wheel', (e) => {
  if (!e.ctrlKey) return;
  e.preventDefault();
  zoomTo(zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1), e.clientX, e.clientY);
}, { passive: false });
$('viewport').addEventListener('scroll', () => requestAnimationFrame(() => lifelines?.update()), { passive: true });
// Keys as in an image viewer: + and − zoom around the centre, 0 is 100%, W fits the width.
window.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || ['SELECT', 'INPUT'].includes((e.target as HTMLElement).tagName)) return;
  // Space on a focused button presses it already (Play itself, after a click on it).
  if (e.key === ' ' && (e.target as HTMLElement).tagName === 'BUTTON') return;
  const act = {
    '+': () => zoomTo(zoom * 1.25), '=': () => zoomTo(zoom * 1.25), '-': () => zoomTo(zoom / 1.25), '0': () => zoomTo(1), w: fitWidth,
    ArrowRight: steps.next, ArrowLeft: steps.previous, ' ': steps.togglePlay, Home: steps.first, End: steps.last, Escape: steps.leave,
  }[e.key];
  if (act) {
    e.preventDefault();
    act();
  }
});

// Drag to pan.
let drag: { x: number; y: number; left: number; top: number } | undefined;
const viewport = $('viewport');
viewport.addEventListener('mousedown', (e) => {
  drag = { x: e.clientX, y: e.clientY, left: viewport.scrollLeft, top: viewport.scrollTop };
});
window.addEventListener('mouseup', () => (drag = undefined));
window.addEventListener('mousemove', (e) => {
  if (!drag) return;
  viewport.scrollLeft = drag.left - (e.clientX - drag.x);
  viewport.scrollTop = drag.top - (e.clientY - drag.y);
});

// VS Code changes the body's theme classes (and names the theme on it) when the colour theme changes. New colours only
// replace the stylesheet (drawing again took most of a second for a full page); other fonts draw again, as the layout
// depends on them. The body's other classes (step mode's, the context menu's) are no theme change: taken for one, they
// replaced the stylesheet at every step, and the browser restyled the whole diagram (most of a step's time).
const NOT_THEME = new Set(['stepping', 'vscode-context-menu-visible']);
const themeOf = () => `${[...document.body.classList].filter((c) => !NOT_THEME.has(c)).sort().join(' ')} ${document.body.dataset.vscodeThemeId ?? ''}`;
let themeShown = themeOf();
new MutationObserver(() => {
  if (!view || themeOf() === themeShown) return;
  themeShown = themeOf();
  const colours = coloursOf(view.theme);
  if (colours && drawnWith && colours.fontFamily === drawnWith.fontFamily && colours.fontSize === drawnWith.fontSize) {
    showColours(view, colours);
    drawnWith = colours;
  } else void render();
}).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });

/**
 * Mermaid's first drawing in a page takes about twice as long as the next (its code not yet compiled, no text measured
 * yet): a small diagram of the same kinds of statements, drawn off screen while the page waits for its first, takes
 * that cost out of the wait for the real one.
 */
const WARM_UP = `sequenceDiagram
  title Connection 1: 10.0.0.1:40000 → 10.0.0.2:80
  participant C as 10.0.0.1:40000
  participant S as 10.0.0.2:80
  Note left of C: CLOSED
  rect rgba(127, 127, 127, 0.12)
  Note over C,S: connection set-up
  C->>S: #35;1 +0.000000s SYN seq=0 win=64240 mss=1460
  Note left of C: SYN_SENT
  S-->>C: #35;2 +0.000100s SYN,ACK seq=0 ack=1 win=65160 ⚠ retransmission
  end
  par #35;3 and #35;4 crossed in flight
    C-xS: #35;3 +0.000200s FIN,ACK seq=1 ack=1 ✗ lost
  and
    S->>C: #35;4 +0.000300s FIN,ACK seq=1 ack=1
  end
`;

async function warmUp(): Promise<void> {
  if (view) return;
  try {
    mermaid.initialize(mermaidConfig('auto', coloursOf('auto')));
    await mermaid.render('tcpviz-warm-up', unwrapped(WARM_UP));
  } catch {
    // Only a head start: the real drawing reports its own errors.
  }
}

if (view) void render();
else void warmUp();
vscode.postMessage({ type: 'ready' });
