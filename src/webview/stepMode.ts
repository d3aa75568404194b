// Step mode: walks a connection segment by segment, as a teacher would at the board. The current arrow is marked and
// scrolled into view, what comes after it is dimmed, both endpoints' states stand under the participant boxes, and the
// step's explanation (made by the model in the worker) is shown in a fixed area, large enough to project.
import type { SegmentDetail } from '../shared/protocol';

export interface StepPage {
  /** The connection's number of segments, and this page's segments (with their steps). */
  count: number;
  segments: SegmentDetail[];
}

export interface StepDeps {
  page(): StepPage | undefined;
  /** Marks segment `index` on this page and scrolls it into view. */
  mark(index: number): void;
  /** Asks for the page holding segment `index`, which arrives drawn, marked there (then `shown` is called again). */
  turnTo(index: number): void;
  /** The states to show under the participant boxes (client's, server's, which changed), or none. */
  pin(states: { client: string; server: string; changed: Array<'client' | 'server'> } | undefined): void;
  /** `step {0} of {1}`, filled in. */
  counter(step: number, count: number): string;
  /** The index of the step on show was remembered (the view's highlight). */
  remember(index: number): void;
}

export interface Stepper {
  go(index: number): void;
  next(): void;
  previous(): void;
  first(): void;
  last(): void;
  togglePlay(): void;
  /** After a page is drawn: goes on with the step it was turned to, if stepping. */
  shown(highlight: number): void;
  /** Another connection: step mode ends. */
  leave(): void;
  readonly current: number | undefined;
}

const $ = (id: string) => document.getElementById(id)!;

export function stepper(deps: StepDeps): Stepper {
  let current: number | undefined;
  let playing: ReturnType<typeof setInterval> | undefined;
  const speed = () => Number(($('stepSpeed') as HTMLSelectElement).value) || 1000;

  const stop = () => {
    clearInterval(playing);
    playing = undefined;
    $('stepPlay').textContent = '▷';
    $('stepPlay').setAttribute('aria-pressed', 'false');
  };

  /** Shows step `index`, whose segment is on the page drawn. */
  const apply = (index: number, detail: SegmentDetail, page: StepPage) => {
    current = index;
    deps.mark(index);
    dimAfter(detail, page);
    const step = detail.step;
    deps.pin(step && { client: step.client, server: step.server, changed: step.changed });
    $('stepCounter').textContent = deps.counter(index + 1, page.count);
    $('stepText').textContent = step?.text ?? '';
    $('stepText').hidden = false;
    ($('stepPrevious') as HTMLButtonElement).disabled = index === 0;
    ($('stepFirst') as HTMLButtonElement).disabled = index === 0;
    ($('stepNext') as HTMLButtonElement).disabled = index >= page.count - 1;
    ($('stepLast') as HTMLButtonElement).disabled = index >= page.count - 1;
    document.body.classList.add('stepping');
    deps.remember(index);
  };

  const go = (index: number) => {
    const page = deps.page();
    if (!page || page.count === 0) return;
    const wanted = Math.min(Math.max(0, Math.trunc(index)), page.count - 1);
    const detail = page.segments.find((s) => s.index === wanted);
    if (detail) apply(wanted, detail, page);
    else {
      current = wanted;
      deps.turnTo(wanted);
    }
  };

  const next = () => {
    const page = deps.page();
    if (!page) return;
    if (current !== undefined && current >= page.count - 1) {
      stop();
      return;
    }
    go(current === undefined ? 0 : current + 1);
  };

  const togglePlay = () => {
    if (playing) {
      stop();
      return;
    }
    const page = deps.page();
    if (!page) return;
    if (current === undefined || current >= page.count - 1) go(0);
    playing = setInterval(next, speed());
    $('stepPlay').textContent = '❚❚';
    $('stepPlay').setAttribute('aria-pressed', 'true');
  };

  $('stepSpeed').addEventListener('change', () => {
    if (!playing) return;
    clearInterval(playing);
    playing = setInterval(next, speed());
  });

  return {
    go,
    next,
    previous: () => go((current ?? 1) - 1),
    first: () => go(0),
    last: () => go((deps.page()?.count ?? 1) - 1),
    togglePlay,
    shown: (highlight) => {
      if (current === undefined) return;
      const page = deps.page();
      const at = highlight >= 0 ? highlight : current;
      const detail = page?.segments.find((s) => s.index === at);
      if (page && detail) apply(at, detail, page);
    },
    leave: () => {
      stop();
      current = undefined;
      deps.pin(undefined);
      $('stepCounter').textContent = '';
      $('stepText').hidden = true;
      document.body.classList.remove('stepping');
      for (const e of document.querySelectorAll('.tcpviz-later')) e.classList.remove('tcpviz-later');
    },
    get current() {
      return current;
    },
  };
}

/**
 * Dims what the diagram draws after step `detail`: everything from the next arrow down (the notes of the current step
 * lie between its arrow and the next, and stay bright; a receiver's change drawn after a crossing arrow comes later).
 */
function dimAfter(detail: SegmentDetail, page: StepPage): void {
  const diagram = $('diagram');
  const labels = [...diagram.querySelectorAll('.messageText')];
  const lines = [...diagram.querySelectorAll('.messageLine0, .messageLine1')];
  const nextPacket = page.segments.find((s) => s.index === detail.index + 1)?.packet;
  const nextLabel = labels.find((l) => packetOf(l) === nextPacket);
  const edge = nextLabel ? nextLabel.getBoundingClientRect().top - 1 : Infinity;
  labels.forEach((label, i) => {
    const later = label.getBoundingClientRect().top >= edge;
    label.classList.toggle('tcpviz-later', later);
    lines[i]?.classList.toggle('tcpviz-later', later);
  });
  for (const note of diagram.querySelectorAll('.noteText')) {
    const rect = note.parentElement?.querySelector('rect.note');
    const later = (rect ?? note).getBoundingClientRect().top >= edge;
    note.classList.toggle('tcpviz-later', later);
    rect?.classList.toggle('tcpviz-later', later);
  }
}

/** The packet number an arrow's label starts with (`#12 +0.001s SYN …`). */
export function packetOf(label: Element): number | undefined {
  const match = /^#(\d+)\s/.exec(label.textContent ?? '');
  return match ? Number(match[1]) : undefined;
}
