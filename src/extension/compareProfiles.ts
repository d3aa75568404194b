import * as vscode from 'vscode';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../core/scenario/profiles';
import type { CaptureSources } from './captureSources';
import type { DiagramPanel } from './diagramPanel';

/** The pairs offered, the RFC against each operating system first: what a lesson's note on the OSes is about. */
function pairs(): Array<[ProfileName, ProfileName]> {
  const out: Array<[ProfileName, ProfileName]> = [];
  PROFILE_NAMES.forEach((a, i) => PROFILE_NAMES.slice(i + 1).forEach((b) => out.push([a, b])));
  return out;
}

/**
 * The scenario on show in the panel, played under two profiles and drawn side by side ("RFC 9293 | Linux"), the same
 * page of each. `visualizeScenario` asks for one when the panel shows none. Both profiles win over the file's own
 * `profile` line (an endpoint's own still wins), as `tcpviz --compare` does.
 */
export async function compareProfiles(sources: CaptureSources, panel: DiagramPanel,
  visualizeScenario: () => Promise<unknown>, pair?: [ProfileName, ProfileName]): Promise<void> {
  const scenarioOnShow = () => {
    const named = panel.current && sources.named(panel.current.key);
    return named?.source.scenario ? { ...named, view: panel.current! } : undefined;
  };
  if (!scenarioOnShow()) await visualizeScenario();
  const shown = scenarioOnShow();
  if (!shown) return;
  const chosen = pair ?? (await vscode.window.showQuickPick(
    pairs().map(([a, b]) => ({ label: `${PROFILES[a].label} | ${PROFILES[b].label}`, pair: [a, b] as [ProfileName, ProfileName] })),
    { title: vscode.l10n.t('Compare: which two profiles, side by side?') }))?.pair;
  if (!chosen) return;
  const { source, id, view } = shown;
  try {
    const columns = await Promise.all(chosen.map(async (profile) => {
      const page = await sources.compared(source, id, profile, view.page);
      return { label: PROFILES[profile].label, text: page.text };
    }));
    if (panel.current?.key === view.key) panel.show({ ...panel.current, compare: { columns } });
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not compare: {0}', error instanceof Error ? error.message : String(error)));
  }
}
