import * as vscode from 'vscode';
import type { TimeFormat } from '../core/diagram/sequenceDiagram';

export interface Settings {
  budget: number;
  relative: boolean;
  msl: number;
  theme: 'auto' | 'default' | 'dark' | 'forest' | 'neutral';
  timeFormat: TimeFormat;
}

/** The extension's settings (package.json `contributes.configuration`), read fresh each time. */
export function settings(): Settings {
  const config = vscode.workspace.getConfiguration('tcpviz');
  return {
    budget: config.get<number>('diagram.messageBudget', 300),
    relative: config.get<string>('diagram.sequenceNumbers', 'relative') === 'relative',
    msl: config.get<number>('msl', 120),
    theme: config.get<Settings['theme']>('diagram.theme', 'auto'),
    timeFormat: config.get<TimeFormat>('diagram.timeFormat', 'relative'),
  };
}
