import * as vscode from 'vscode';
import type { StepWords } from '../core/explain/stepExplanation';
import { stepWords } from './stepWords';
import type { DiagramWords } from '../core/diagram/diagramWords';
import type { TimeFormat } from '../core/diagram/sequenceDiagram';
import { diagramWords } from './diagramWords';
import { PROFILE_NAMES, type ProfileName } from '../core/scenario/profiles';

export interface Settings {
  budget: number;
  relative: boolean;
  msl: number;
  /** Whose TCP plays a scenario whose file does not say. */
  profile: ProfileName;
  theme: 'auto' | 'default' | 'dark' | 'forest' | 'neutral';
  timeFormat: TimeFormat;
  /** The diagram's phrases in the user's language (the worker that draws has no VS Code API to ask). */
  words: DiagramWords;
  /** The step explanations' phrases, likewise. */
  stepWords: StepWords;
}

/**
 * The extension's settings (package.json `contributes.configuration`), read fresh each time. A value of the wrong type
 * or out of range (settings.json is edited by hand, and a workspace's settings come with the repository) falls back to
 * the default.
 */
export function settings(): Settings {
  const config = vscode.workspace.getConfiguration('tcpviz');
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = config.get<unknown>(key);
    return allowed.includes(value as T) ? (value as T) : fallback;
  };
  const numberIn = (key: string, min: number, max: number, fallback: number): number => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
  };
  return {
    // 100, not the command line's 300: Mermaid's time is per item, ~2–3 ms each in a webview here (with a fixed ~0.1 s),
    // so that a page is drawn in about 0.3 s.
    budget: Math.floor(numberIn('diagram.messageBudget', 10, 2000, 100)),
    relative: oneOf('diagram.sequenceNumbers', ['relative', 'raw'], 'relative') === 'relative',
    msl: numberIn('msl', 0.001, 86_400, 120),
    profile: oneOf('scenario.profile', PROFILE_NAMES, 'rfc'),
    theme: oneOf('diagram.theme', ['auto', 'default', 'dark', 'forest', 'neutral'], 'auto'),
    timeFormat: oneOf('diagram.timeFormat', ['relative', 'delta', 'absolute', 'none'], 'relative'),
    words: diagramWords(),
    stepWords: stepWords(),
  };
}
