// The diagram page inside the webview: renders Mermaid, follows the theme, zooms, pans, turns pages, shows segment
// details and maps clicks on arrows back to segments. It never imports vscode; it talks to the host by messages.
import mermaid from 'mermaid';
import type { DiagramView, FromWebview, SegmentDetail, ToWebview } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): { view?: DiagramView; zoom?: number } | undefined;
  setState(state: { view?: DiagramView; zoom?: number }): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = (id: string) => document.getElementById(id)!;
// A view saved by an older version (every page at once) is not drawn again: the host sends the current one.
let view: DiagramView | undefined = typeof vscode.getState()?.view?.text === 'string' ? vscode.getState()!.view : undefined;
let zoom = vscode.getState()?.zoom ?? 1;
let renderCount = 0;

function save(): void {
  vscode.setState({ view, zoom });
}

function mermaidTheme(): 'default' | 'dark' | 'forest' | 'neutral' {
  if (view && view.theme !== 'auto') return view.theme;
  const classes = document.body.classList;
  return classes.contains('vscode-dark') || classes.contains('vscode-high-contrast') ? 'dark' : 'default';
}

/** The packet number each arrow's label starts with (`#12 +0.001s SYN …`). */
function packetOf(label: Element): number | undefined {
  const match = /^#(\d+)\s/.exec(label.textContent ?? '');
  return match ? Number(match[1]) : undefined;
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
  if (s.windowShift >= 0) return `(raw ${s.rawWindow} × ${2 ** s.windowShift})`;
  return s.windowShift === -2 ? '(not scaled)' : '(scale unknown: handshake not seen)';
}

function showDetails(s: SegmentDetail | undefined, x: number, y: number): void {
  if (!s) {
    showLines([], 0, 0);
    return;
  }
  const lines = [
    `#${s.packet} ${s.flags} from ${s.from}`,
    `seq ${s.relSeq} (raw ${s.seq}) · ack ${s.relAck} (raw ${s.ack})`,
    `len ${s.len} · window ${s.window} ${windowFactor(s)}`,
    s.options && `options: ${s.options}`,
    s.analysis.length ? `⚠ ${s.analysis.join('; ')}` : '',
  ].filter((line): line is string => Boolean(line));
  showLines(lines, x, y);
}

function applyZoom(): void {
  const svg = $('diagram').querySelector('svg');
  if (svg) svg.style.transform = `scale(${zoom})`;
  $('zoomReset').textContent = `${Math.round(zoom * 100)}%`;
  save();
}

function highlight(segment: number): void {
  if (!view) return;
  const packet = segmentsOf(view).find((s) => s.index === segment)?.packet;
  for (const label of $('diagram').querySelectorAll('.messageText')) {
    const hit = packetOf(label) === packet;
    label.classList.toggle('tcpviz-highlight', hit);
    if (hit) label.scrollIntoView({ block: 'center', inline: 'center' });
  }
}

async function render(): Promise<void> {
  if (!view) return;
  const ticket = ++renderCount;
  $('title').textContent = view.title;
  const choices = $('choices') as HTMLSelectElement;
  choices.hidden = !view.choices;
  if (view.choices) {
    // Built in a fragment, not spread into one call (the list once held every connection, and 130,000 overflowed it).
    const options = document.createDocumentFragment();
    for (const c of view.choices) options.append(new Option(c.label, c.key));
    choices.replaceChildren(options);
  }
  choices.value = view.key;
  $('pageLabel').textContent = view.pageCount > 1 ? ` page ${view.page + 1} of ${view.pageCount} ` : '';
  ($('prev') as HTMLButtonElement).disabled = view.page === 0;
  ($('next') as HTMLButtonElement).disabled = view.page >= view.pageCount - 1;
  const error = $('error');
  try {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: mermaidTheme(), maxTextSize: 200000 });
    const { text } = view;
    const started = performance.now();
    await mermaid.parse(text);
    const { svg } = await mermaid.render(`tcpviz-${ticket}`, text);
    if (ticket !== renderCount) return;
    $('diagram').innerHTML = svg;
    // How long Mermaid took, for the benchmark that drives this page.
    $('diagram').dataset.renderMs = (performance.now() - started).toFixed(0);
    error.hidden = true;
    for (const label of $('diagram').querySelectorAll('.messageText')) {
      label.addEventListener('mousemove', (e) => showDetails(segmentOf(label), (e as MouseEvent).clientX, (e as MouseEvent).clientY));
      label.addEventListener('mouseleave', () => showDetails(undefined, 0, 0));
      label.addEventListener('click', () => {
        const s = segmentOf(label);
        if (s) vscode.postMessage({ type: 'segmentClicked', segment: s.index });
      });
    }
    for (const note of $('diagram').querySelectorAll('.noteText')) {
      note.addEventListener('mousemove', (e) => showLines(stateLines(note), (e as MouseEvent).clientX, (e as MouseEvent).clientY));
      note.addEventListener('mouseleave', () => showLines([], 0, 0));
    }
    applyZoom();
    if (view.highlight >= 0) highlight(view.highlight);
    const svgElement = $('diagram').querySelector('svg')!;
    vscode.postMessage({
      type: 'rendered', page: view.page,
      messages: svgElement.querySelectorAll('.messageText').length, notes: svgElement.querySelectorAll('.noteText').length,
    });
  } catch (e) {
    error.textContent = `The diagram could not be drawn: ${e instanceof Error ? e.message : String(e)}`;
    error.hidden = false;
    vscode.postMessage({ type: 'error', message: error.textContent });
  }
}

async function exportImage(format: 'svg' | 'png'): Promise<string> {
  const svg = $('diagram').querySelector('svg');
  if (!svg) throw new Error('nothing drawn');
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.style.transform = '';
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const text = new XMLSerializer().serializeToString(clone);
  if (format === 'svg') return text;
  const box = svg.getBBox();
  const image = new Image();
  image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(text)))}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(box.width + 40) * 2;
  canvas.height = Math.ceil(box.height + 40) * 2;
  const context = canvas.getContext('2d')!;
  context.fillStyle = getComputedStyle(document.body).backgroundColor || 'white';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png');
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'show') {
    view = message.view;
    save();
    void render();
  } else if (message.type === 'highlight' && view) {
    if (segmentsOf(view).some((s) => s.index === message.segment)) {
      view.highlight = message.segment;
      highlight(message.segment);
      save();
    } else {
      // On another page: the host sends that page, highlighted.
      vscode.postMessage({ type: 'turn', page: view.page, highlight: message.segment });
    }
  } else if (message.type === 'export') {
    exportImage(message.format).then(
      (data) => vscode.postMessage({ type: 'exported', format: message.format, data }),
      (e) => vscode.postMessage({ type: 'error', message: String(e) }),
    );
  }
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
$('zoomIn').addEventListener('click', () => { zoom = Math.min(4, zoom * 1.25); applyZoom(); });
$('zoomOut').addEventListener('click', () => { zoom = Math.max(0.2, zoom / 1.25); applyZoom(); });
$('zoomReset').addEventListener('click', () => { zoom = 1; applyZoom(); });
$('viewport').addEventListener('wheel', (e) => {
  if (!e.ctrlKey) return;
  e.preventDefault();
  zoom = Math.min(4, Math.max(0.2, zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1)));
  applyZoom();
}, { passive: false });

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

// VS Code changes the body's theme classes when the colour theme changes: draw again in the new colours.
new MutationObserver(() => void render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

if (view) void render();
vscode.postMessage({ type: 'ready' });
