// The diagram's colours, taken from the VS Code theme the page is shown in (its --vscode-* CSS variables), so that any
// theme gets a matching diagram, and checked for contrast: where a theme's colour would be too faint against what it
// is drawn on, it is moved towards the theme's foreground until it is not.

/** An opaque colour, 0–255 per channel. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** The phases a state note is coloured by (its text always names the state too: colour is never the only cue). */
export type Phase = 'opening' | 'established' | 'closing' | 'waiting' | 'closed';

export const PHASE_OF: Record<string, Phase> = {
  LISTEN: 'opening', SYN_SENT: 'opening', SYN_RECEIVED: 'opening', ESTABLISHED: 'established',
  FIN_WAIT_1: 'closing', FIN_WAIT_2: 'closing', CLOSE_WAIT: 'closing', CLOSING: 'closing', LAST_ACK: 'closing',
  TIME_WAIT: 'waiting', CLOSED: 'closed',
};

/**
 * The states a note names, in order: `FIN_WAIT_2 → TIME_WAIT (2×MSL …)` names both, `CLOSING · #8 arrived` one, a note
 * such as `connection set-up` none. The last is where the endpoint is after it.
 */
export function statesNamed(note: string): string[] {
  return note.split('→').map((part) => part.trim().split(/[\s·(]/)[0]!).filter((word) => word in PHASE_OF);
}

export interface DiagramColours {
  highContrast: boolean;
  background: string;
  foreground: string;
  line: string;
  actorFill: string;
  actorBorder: string;
  actorText: string;
  noteFill: string;
  /** A highlighted note (the state selected in the tree, the step shown): the selection's colour, its text readable on it. */
  highlightFill: string;
  highlightText: string;
  noteText: string;
  noteBorder: string;
  /** The set-up and teardown blocks: a tint, and in high contrast themes a dashed border as well. */
  shade: string;
  shadeBorder: string | undefined;
  phases: Record<Phase, string>;
  fontFamily: string;
  /** The editor's font size in CSS px: text on the diagram at 100% is this size, and never under 11 px. */
  fontSize: number;
}

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb()` and `rgba()`, composing any transparency over `under`. */
export function parseColour(text: string, under: Rgb = { r: 255, g: 255, b: 255 }): Rgb | undefined {
  const value = text.trim().toLowerCase();
  let r: number, g: number, b: number, a = 1;
  const hex = /^#([0-9a-f]{3,8})$/.exec(value)?.[1];
  if (hex && [3, 4, 6, 8].includes(hex.length)) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
    if (full.length === 8) a = parseInt(full.slice(6, 8), 16) / 255;
  } else {
    const parts = /^rgba?\(([^)]+)\)$/.exec(value)?.[1]?.split(/[\s,/]+/).filter(Boolean).map(Number);
    if (!parts || parts.length < 3 || parts.some((n) => !Number.isFinite(n))) return undefined;
    [r, g, b] = parts as [number, number, number];
    a = parts[3] ?? 1;
  }
  return { r: r * a + under.r * (1 - a), g: g * a + under.g * (1 - a), b: b * a + under.b * (1 - a) };
}

export function hex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

function luminance({ r, g, b }: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG 2's contrast ratio, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return { r: a.r + (b.r - a.r) * t, g: a.g + (b.g - a.g) * t, b: a.b + (b.b - a.b) * t };
}

/** `colour`, or the first step from it towards `towards` that has `least` contrast against `on`. */
export function readable(colour: Rgb, on: Rgb, towards: Rgb, least: number): Rgb {
  for (let t = 0; t <= 1.0001; t += 0.05) {
    const candidate = mix(colour, towards, t);
    if (contrast(candidate, on) >= least) return candidate;
  }
  // Even the foreground itself is too faint (a theme with little contrast): the strongest of black and white.
  return contrast({ r: 0, g: 0, b: 0 }, on) > contrast({ r: 255, g: 255, b: 255 }, on) ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 };
}

/** The diagram's colours for the theme whose variables `read` gives and whose body classes are `classes`. */
export function themeColours(read: (name: string) => string, classes: DOMTokenList | readonly string[]): DiagramColours {
  const has = (name: string) => ('contains' in classes ? classes.contains(name) : classes.includes(name));
  const highContrast = has('vscode-high-contrast') || has('vscode-high-contrast-light');
  const dark = has('vscode-dark') || (has('vscode-high-contrast') && !has('vscode-high-contrast-light'));
  // The contrast every text and line keeps against what it is drawn on.
  const least = highContrast ? 7 : 4.5;
  const fallbackBackground = dark ? { r: 30, g: 30, b: 30 } : { r: 255, g: 255, b: 255 };
  const background = parseColour(read('--vscode-editor-background')) ?? fallbackBackground;
  const colour = (names: string[], fallback: Rgb, on: Rgb = background): Rgb => {
    for (const name of names) {
      const parsed = parseColour(read(name), on);
      if (parsed) return parsed;
    }
    return fallback;
  };
  const foreground = readable(colour(['--vscode-editor-foreground', '--vscode-foreground'], dark ? { r: 212, g: 212, b: 212 } : { r: 32, g: 32, b: 32 }),
    background, dark ? { r: 255, g: 255, b: 255 } : { r: 0, g: 0, b: 0 }, least);
  const border = colour(['--vscode-contrastBorder', '--vscode-editorWidget-border', '--vscode-widget-border'], mix(background, foreground, 0.5));
  const actorFill = colour(['--vscode-editorWidget-background', '--vscode-sideBar-background'], mix(background, foreground, 0.08));
  const noteFill = colour(['--vscode-editorHoverWidget-background', '--vscode-editorWidget-background'], mix(background, foreground, 0.05));
  const highlightFill = colour(['--vscode-editor-selectionBackground'], dark ? { r: 38, g: 79, b: 120 } : { r: 173, g: 214, b: 255 }, noteFill);
  // Dark High Contrast and Light High Contrast select in a strong colour: the note's own text would vanish on it.
  const highlightForeground = colour(['--vscode-editor-selectionForeground'], foreground, highlightFill);
  // Lines and borders are drawn on the background; texts on their boxes.
  const onBackground = (c: Rgb) => hex(readable(c, background, foreground, least));
  const phase = (names: string[], fallback: Rgb) => onBackground(colour(names, fallback));
  const size = Number.parseFloat(read('--vscode-editor-font-size'));
  return {
    highContrast,
    background: hex(background),
    foreground: hex(foreground),
    line: onBackground(foreground),
    actorFill: hex(actorFill),
    actorBorder: onBackground(border),
    actorText: hex(readable(foreground, actorFill, foreground, least)),
    noteFill: hex(noteFill),
    highlightFill: hex(highlightFill),
    highlightText: hex(readable(highlightForeground, highlightFill, contrast({ r: 0, g: 0, b: 0 }, highlightFill) > contrast({ r: 255, g: 255, b: 255 }, highlightFill) ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 }, least)),
    noteText: hex(readable(colour(['--vscode-editorHoverWidget-foreground'], foreground, noteFill), noteFill, foreground, least)),
    noteBorder: onBackground(border),
    shade: hex(mix(background, foreground, highContrast ? 0.16 : 0.07)),
    shadeBorder: highContrast ? onBackground(border) : undefined,
    phases: {
      opening: phase(['--vscode-charts-blue'], { r: 55, g: 148, b: 255 }),
      established: phase(['--vscode-charts-green'], { r: 56, g: 158, b: 13 }),
      closing: phase(['--vscode-charts-orange'], { r: 209, g: 134, b: 22 }),
      waiting: phase(['--vscode-charts-purple'], { r: 178, g: 117, b: 248 }),
      closed: onBackground(mix(background, foreground, 0.6)),
    },
    fontFamily: read('--vscode-editor-font-family').trim() || read('--vscode-font-family').trim() || 'sans-serif',
    fontSize: Math.max(11, Number.isFinite(size) ? size : 14),
  };
}

/**
 * The diagram's colours as a stylesheet for the SVGs `svg` selects: what Mermaid's theme draws (its rules are scoped
 * to one drawing's id; these win over them by one more element in the selector), and what its theme
 * cannot say: the shading of set-up and teardown, each state note's phase, the sticky participants. On screen a theme
 * change only replaces this stylesheet, without drawing again; an exported SVG carries its own copy.
 */
export function colourRules(c: DiagramColours, svg: string): string {
  const s = svg;
  const shadeBorder = c.shadeBorder ? `stroke: ${c.shadeBorder}; stroke-dasharray: 6 4;` : 'stroke: none;';
  const phaseWidth = c.highContrast ? 3 : 2;
  return [
    `${s} { fill: ${c.foreground}; }`,
    `${s} .actor { fill: ${c.actorFill}; stroke: ${c.actorBorder}; }`,
    `${s} text.actor > tspan { fill: ${c.actorText}; }`,
    `${s} :is(.actor-line, .messageLine0, .messageLine1) { stroke: ${c.line}; }`,
    `${s} :is([id$="-arrowhead"], [id$="-crosshead"]) path { fill: ${c.line}; stroke: ${c.line}; }`,
    `${s} :is(.messageText, .loopText, .loopText > tspan) { fill: ${c.foreground}; }`,
    `${s} .labelBox { fill: ${c.actorFill}; stroke: ${c.actorBorder}; }`,
    `${s} :is(.labelText, .labelText > tspan) { fill: ${c.actorText}; }`,
    `${s} .loopLine { fill: ${c.actorBorder}; stroke: ${c.actorBorder}; }`,
    `${s} .note { fill: ${c.noteFill}; stroke: ${c.noteBorder}; }`,
    `${s} :is(.noteText, .noteText > tspan) { fill: ${c.noteText}; }`,
    `${s} rect.note.tcpviz-highlight { fill: ${c.highlightFill}; }`,
    `${s} :is(.noteText.tcpviz-highlight, .noteText.tcpviz-highlight > tspan) { fill: ${c.highlightText}; }`,
    `${s} rect.rect { fill: ${c.shade}; ${shadeBorder} }`,
    ...(Object.keys(c.phases) as Phase[]).map((phase) => `${s} rect.note.tcpviz-phase-${phase} { stroke: ${c.phases[phase]}; stroke-width: ${phaseWidth}px; }`),
    `${s} rect.tcpviz-sticky-band { fill: ${c.background}; }`,
    `${s} rect.tcpviz-sticky-state { fill: ${c.noteFill}; stroke: ${c.noteBorder}; }`,
    `${s} text.tcpviz-sticky-state { fill: ${c.noteText}; }`,
  ].join('\n');
}
