// Step mode: walks a connection segment by segment, as a teacher would at the board. The current arrow is marked and
// scrolled into view, what comes after it is dimmed, both endpoints' states stand under the participant boxes, and the
// step's explanation (made by the model in the worker) is shown in a fixed area, large enough to project.
import type { SegmentDetail } from '../shared/protocol';

export interface StepPage {
  /** The connection's number of segments, and this page's segments (with their steps). */
  count: number;
  segments: SegmentDetail[];
  /** For each note drawn: the segments it stands for (a summary), or null. */
  noteSpans: Array<[number, number] | null>;
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
  /** Predict mode's phrases, filled in. */
  quizWords: {
    question(packet: number): string;
    right(side: 'client' | 'server', state: string): string;
    wrong(side: 'client' | 'server', chosen: string, state: string): string;
    score(right: number, asked: number): string;
    arrowQuestion(side: 'client' | 'server', state: string): string;
    arrowRight(packet: number, side: 'client' | 'server', state: string): string;
    arrowWrong(chosen: number, packet: number, side: 'client' | 'server', state: string): string;
    noArrowQuestion(): string;
  };
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
  /** Predict mode on or off: the learner picks each endpoint's state after the next segment before it is shown. */
  togglePredict(): void;
  /** The other question: which arrow moves an endpoint out of its state (the next change after the step on show). */
  askArrow(): void;
  /** An arrow clicked: the answer to the arrow question, if one is asked (then nothing else is done with the click). */
  answerArrow(index: number): boolean;
  readonly current: number | undefined;
}

/** The eleven states of RFC 9293 §3.3.2, in the order a connection meets them. */
const STATES = ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT',
  'CLOSING', 'LAST_ACK', 'TIME_WAIT'];

const $ = (id: string) => document.getElementById(id)!;

export function stepper(deps: StepDeps): Stepper {
  let current: number | undefined;
  // Play: a timer set for when each step is due (from the start, so that a slow step does not delay the ones after).
  let playing: ReturnType<typeof setTimeout> | undefined;
  let due = 0;
  /** When the step being shown was asked for: by play's timer, or by the key or click being handled. */
  let dueNow: number | undefined;
  const speed = () => Number(($('stepSpeed') as HTMLSelectElement).value) || 1000;

  const stop = () => {
    clearTimeout(playing);
    playing = undefined;
    $('stepPlay').textContent = '▷';
    $('stepPlay').setAttribute('aria-pressed', 'false');
  };
  const schedule = () => {
    due += speed();
    playing = setTimeout(() => {
      dueNow = due;
      next();
      dueNow = undefined;
      if (playing !== undefined) schedule();
    }, Math.max(0, due - performance.now()));
  };

  /** Shows step `index`, whose segment is on the page drawn. */
  const apply = (index: number, detail: SegmentDetail, page: StepPage) => {
    const started = performance.now();
    const asked = dueNow ?? window.event?.timeStamp ?? started;
    geometry(page);
    current = index;
    asking = undefined;
    // The states under the boxes and the mark first: they measure a state's width and where the arrow is, which is
    // quick before the diagram changes and makes the browser lay out the whole diagram at once after.
    const step = detail.step;
    deps.pin(step && { client: step.client, server: step.server, changed: step.changed });
    deps.mark(index);
    // An answered question stays on screen, its right and wrong buttons marked, until the next.
    $('quiz').hidden = !predicting;
    dimAfter(index, page);
    if (predicting) hideNotesFrom(index + 1, page);
    else showAnswers();
    $('stepCounter').textContent = deps.counter(index + 1, page.count);
    $('stepText').textContent = step?.text ?? '';
    $('stepText').hidden = false;
    ($('stepPrevious') as HTMLButtonElement).disabled = index === 0;
    ($('stepFirst') as HTMLButtonElement).disabled = index === 0;
    ($('stepNext') as HTMLButtonElement).disabled = index >= page.count - 1;
    ($('stepLast') as HTMLButtonElement).disabled = index >= page.count - 1;
    document.body.classList.add('stepping');
    deps.remember(index);
    // For the benchmark: the page's own work, and the time from the key, click or due time that asked for the step
    // to the end of the frame that shows it (the task after that frame's paint).
    const steps = $('steps');
    steps.dataset.workMs = (performance.now() - started).toFixed(1);
    requestAnimationFrame(() => setTimeout(() => {
      steps.dataset.stepMs = (performance.now() - asked).toFixed(1);
      steps.dataset.shownAt = String(performance.timeOrigin + performance.now());
    }));
  };

  // Predict mode: the question asked (the step whose states are to be guessed), the answers so far, the score.
  let predicting = false;
  let asking: number | undefined;
  let answers: { client?: string; server?: string } = {};
  let score = { right: 0, asked: 0 };
  let turnedForQuestion = false;

  const showScore = () => {
    $('quizScore').textContent = predicting ? deps.quizWords.score(score.right, score.asked) : '';
  };

  /** Asks for step `index`'s states: its arrow shown, its notes and what follows hidden, the states before it pinned. */
  const ask = (index: number, detail: SegmentDetail, page: StepPage) => {
    geometry(page);
    asking = index;
    answers = {};
    const before = index > 0 ? page.segments.find((s) => s.index === index - 1)?.step : undefined;
    deps.pin(before ? { client: before.client, server: before.server, changed: [] } : undefined);
    deps.mark(index);
    dimAfter(index, page);
    hideNotesFrom(index, page);
    $('stepCounter').textContent = deps.counter(index + 1, page.count);
    $('stepText').textContent = deps.quizWords.question(detail.packet);
    $('stepText').hidden = false;
    $('quiz').hidden = false;
    for (const b of document.querySelectorAll<HTMLButtonElement>('#quiz button')) b.classList.remove('chosen', 'right', 'wrong');
    document.body.classList.add('stepping');
  };

  const answer = (side: 'client' | 'server', state: string) => {
    const page = deps.page();
    if (asking === undefined || !page) return;
    answers[side] = state;
    for (const b of document.querySelectorAll<HTMLButtonElement>(`#quiz [data-side="${side}"] button`)) b.classList.toggle('chosen', b.dataset.state === state);
    if (!answers.client || !answers.server) return;
    const detail = page.segments.find((s) => s.index === asking);
    const step = detail?.step;
    if (!detail || !step) return;
    const verdicts = (['client', 'server'] as const).map((who) => {
      const right = answers[who] === step[who];
      score.asked++;
      if (right) score.right++;
      for (const b of document.querySelectorAll<HTMLButtonElement>(`#quiz [data-side="${who}"] button`)) {
        b.classList.toggle('right', b.dataset.state === step[who]);
        b.classList.toggle('wrong', b.dataset.state === answers[who] && !right);
      }
      return right ? deps.quizWords.right(who, step[who]) : deps.quizWords.wrong(who, answers[who]!, step[who]);
    });
    const index = asking;
    asking = undefined;
    apply(index, detail, page);
    $('stepText').textContent = `${verdicts.join('\n')}\n${step.text}`;
    showScore();
  };

  // The arrow question: which segment moves `side` out of `from` (the answer).
  let arrowAsked: { side: 'client' | 'server'; from: string; answer: number } | undefined;

  const askArrow = () => {
    const page = deps.page();
    if (!page) return;
    stop();
    const before = (index: number) => page.segments.find((s) => s.index === index - 1)?.step;
    const change = page.segments.find((s) => s.index > (current ?? -1) && s.step && s.step.changed.length > 0 && before(s.index));
    $('stepText').hidden = false;
    if (!change) {
      arrowAsked = undefined;
      $('stepText').textContent = deps.quizWords.noArrowQuestion();
      return;
    }
    const side = change.step!.changed[0]!;
    arrowAsked = { side, from: before(change.index)![side], answer: change.index };
    $('stepText').textContent = deps.quizWords.arrowQuestion(side, arrowAsked.from);
  };

  const answerArrow = (index: number): boolean => {
    const page = deps.page();
    const asked = arrowAsked;
    if (!asked || !page) return false;
    arrowAsked = undefined;
    const right = index === asked.answer;
    score.asked++;
    if (right) score.right++;
    const packetAt = (i: number) => page.segments.find((s) => s.index === i)?.packet ?? 0;
    const verdict = right ? deps.quizWords.arrowRight(packetAt(asked.answer), asked.side, asked.from)
      : deps.quizWords.arrowWrong(packetAt(index), packetAt(asked.answer), asked.side, asked.from);
    const detail = page.segments.find((s) => s.index === asked.answer)!;
    apply(asked.answer, detail, page);
    $('stepText').textContent = `${verdict}\n${detail.step?.text ?? ''}`;
    $('quizScore').textContent = deps.quizWords.score(score.right, score.asked);
    return true;
  };

  const go = (index: number) => {
    const page = deps.page();
    if (!page || page.count === 0) return;
    const wanted = Math.min(Math.max(0, Math.trunc(index)), page.count - 1);
    const detail = page.segments.find((s) => s.index === wanted);
    // Forward in predict mode, a question first; backward, or on a step already answered, the step itself.
    const question = predicting && (current === undefined ? wanted === 0 : wanted === current + 1);
    if (detail && question) ask(wanted, detail, page);
    else if (detail) apply(wanted, detail, page);
    else {
      // Its page is asked for; a question is asked there, and the step before stays the current one until answered.
      turnedForQuestion = question;
      if (!question) current = wanted;
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
    due = performance.now();
    schedule();
    $('stepPlay').textContent = '❚❚';
    $('stepPlay').setAttribute('aria-pressed', 'true');
  };

  for (const side of ['client', 'server'] as const) {
    const row = $('quiz').querySelector(`[data-side="${side}"]`)!;
    for (const state of STATES) {
      const button = document.createElement('button');
      button.textContent = state;
      button.dataset.state = state;
      button.addEventListener('click', () => answer(side, state));
      row.append(button);
    }
  }

  $('stepSpeed').addEventListener('change', () => {
    if (playing === undefined) return;
    clearTimeout(playing);
    due = performance.now();
    schedule();
  });

  return {
    go,
    next,
    previous: () => go((current ?? 1) - 1),
    first: () => go(0),
    last: () => go((deps.page()?.count ?? 1) - 1),
    togglePlay,
    shown: (highlight) => {
      if (current === undefined && !turnedForQuestion) return;
      const page = deps.page();
      const at = highlight >= 0 ? highlight : current!;
      const detail = page?.segments.find((s) => s.index === at);
      if (!page || !detail) return;
      // A question turned to another page is asked there.
      if (turnedForQuestion) ask(at, detail, page);
      else apply(at, detail, page);
      turnedForQuestion = false;
    },
    askArrow,
    answerArrow,
    togglePredict: () => {
      predicting = !predicting;
      score = { right: 0, asked: 0 };
      $('stepPredict').setAttribute('aria-pressed', String(predicting));
      $('stepPredict').classList.toggle('on', predicting);
      showScore();
      stop();
      const page = deps.page();
      if (!page) return;
      const at = current ?? -1;
      const detail = page.segments.find((s) => s.index === at);
      if (predicting) {
        // From the start of the connection, or from the step on show: the next one is asked.
        if (detail) apply(at, detail, page);
        else hideNotesFrom(0, page);
        go(at + 1);
      } else if (detail) apply(at, detail, page);
      else {
        $('quiz').hidden = true;
        showAnswers();
      }
    },
    leave: () => {
      stop();
      current = undefined;
      asking = undefined;
      arrowAsked = undefined;
      score = { right: 0, asked: 0 };
      showScore();
      $('quiz').hidden = true;
      showAnswers();
      deps.pin(undefined);
      $('stepCounter').textContent = '';
      $('stepText').hidden = true;
      document.body.classList.remove('stepping');
      undim();
    },
    get current() {
      return current;
    },
  };
}

/**
 * Where each arrow's label and line and each note sit, from the diagram's top, and the segments each stands for: an
 * arrow its own, a summary note ("⋯ #4–#162: 159 segments") those it summarises (measured once per drawing and zoom).
 */
interface Geometry {
  svg: Element;
  width: string | null;
  labels: Array<{ label: Element; line: Element | undefined; top: number; span: [number, number] | null }>;
  notes: Array<{ text: Element; rect: Element | null; top: number; span: [number, number] | null }>;
  /** The diagram's height on screen when measured (the tops are in the same pixels). */
  height: number;
}
let measured: Geometry | undefined;

/**
 * The diagram's geometry, read before anything is marked: reading positions between class changes would make the
 * browser work out the styles again for every element (a step on a 300-message page took 50–100 ms that way).
 */
function geometry(page: StepPage): Geometry | undefined {
  const svg = $('diagram').querySelector('svg');
  if (!svg) return undefined;
  if (measured?.svg === svg && measured.width === svg.getAttribute('width')) return measured;
  const frame = svg.getBoundingClientRect();
  const origin = frame.top;
  const lines = [...svg.querySelectorAll('.messageLine0, .messageLine1')];
  const indexOf = new Map(page.segments.map((s) => [s.packet, s.index]));
  measured = {
    svg,
    width: svg.getAttribute('width'),
    height: frame.height,
    labels: [...svg.querySelectorAll('.messageText')].map((label, i) => {
      const index = indexOf.get(packetOf(label) ?? -1);
      return { label, line: lines[i], top: label.getBoundingClientRect().top - origin, span: index === undefined ? null : [index, index] };
    }),
    notes: [...svg.querySelectorAll('.noteText')].map((text, i) => {
      const rect = text.parentElement?.querySelector('rect.note') ?? null;
      return { text, rect, top: (rect ?? text).getBoundingClientRect().top - origin, span: page.noteSpans[i] ?? null };
    }),
  };
  return measured;
}

/**
 * Where the first arrow or summary note drawn for a segment matching `later` begins (its top), or past the end for
 * none: what lies from there down comes after.
 */
function edgeOf(g: Geometry, later: (span: [number, number]) => boolean): number {
  let edge = Infinity;
  for (const { top, span } of [...g.labels, ...g.notes]) if (span && later(span) && top < edge) edge = top;
  return edge - 1;
}

/**
 * Dims what the diagram draws after step `index`: everything from the next segment's arrow (or summary) down lies
 * under a veil of the background's colour. The notes of the current step lie between its arrow and the next, and stay
 * bright; a receiver's change drawn after a crossing arrow comes later. One veil on its own layer, moved by the
 * compositor, placed as a share of the diagram's height so that a zoom keeps it in place: fading every later arrow
 * and note instead made the browser restyle, paint and raster hundreds of elements at each step.
 */
function dimAfter(index: number, page: StepPage): void {
  const g = geometry(page);
  if (!g) return;
  let veil = $('diagram').querySelector<HTMLElement>('.tcpviz-veil');
  if (!veil) {
    veil = document.createElement('div');
    veil.className = 'tcpviz-veil';
    $('diagram').append(veil);
  }
  const edge = edgeOf(g, ([first]) => first > index);
  const share = Number.isFinite(edge) && g.height > 0 ? Math.max(0, edge / g.height) : 1;
  veil.style.transform = `translateY(${(share * 100).toFixed(4)}%)`;
  veil.hidden = share >= 1;
}

/** Nothing dimmed (step mode left). */
function undim(): void {
  const veil = $('diagram').querySelector<HTMLElement>('.tcpviz-veil');
  if (veil) veil.hidden = true;
}

/** Every state note shown again (predict mode off). */
function showAnswers(): void {
  for (const e of document.querySelectorAll('.tcpviz-unanswered')) e.classList.remove('tcpviz-unanswered');
}

/**
 * Predict mode: hides the state notes from step `index`'s arrow (or summary) down, its own and every later one, so
 * that the answer is not on screen; none to hide past the last step.
 */
function hideNotesFrom(index: number, page: StepPage): void {
  const g = geometry(page);
  if (!g) return;
  const edge = edgeOf(g, ([, last]) => last >= index) + 1;
  for (const { text, rect, top } of g.notes) {
    text.classList.toggle('tcpviz-unanswered', top >= edge);
    rect?.classList.toggle('tcpviz-unanswered', top >= edge);
  }
}

/** The packet number an arrow's label starts with (`#12 +0.001s SYN …`). */
export function packetOf(label: Element): number | undefined {
  const match = /^#(\d+)\s/.exec(label.textContent ?? '');
  return match ? Number(match[1]) : undefined;
}
