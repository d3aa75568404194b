import * as vscode from 'vscode';
import type { DiagramWords } from '../core/diagram/diagramWords';
import type { TimeFormat } from '../core/diagram/sequenceDiagram';
import { diagramWords } from './diagramWords';

export interface Settings {
  budget: number;
  relative: boolean;
  msl: number;
  theme: 'auto' | 'default' | 'dark' | 'forest' | 'neutral';
  timeFormat: TimeFormat;
  /** The diagram's phrases in the user's language (the worker that draws has no VS Code API to ask). */
  words: DiagramWords;
}

/** The extension's settings (package.json `contributes.configuration`), read fresh each time. */
export function settings(): Settings {
  const config = vscode.workspace.getConfiguration('tcpviz');
  return {
    // 150, not the command line's 300: Mermaid in a webview takes ~0.55 s for a 300-item page here, ~0.25 s for 150.
    budget: config.get<number>('diagram.messageBudget', 150),
    relative: config.get<string>('diagram.sequenceNumbers', 'relative') === 'relative',
    msl: config.get<number>('msl', 120),
    theme: config.get<Settings['theme']>('diagram.theme', 'auto'),
    timeFormat: config.get<TimeFormat>('diagram.timeFormat', 'relative'),
    words: diagramWords(),
  };
}
