import * as vscode from 'vscode';
import type { PanelWords } from '../shared/panelWords';

/** The panel's own phrases in the user's language, placeholders kept for the page to fill. */
export function panelWords(): PanelWords {
  const [a, b, c, d] = ['{0}', '{1}', '{2}', '{3}'];
  return {
    page: vscode.l10n.t('page {0} of {1}', a, b),
    segment: vscode.l10n.t('#{0} {1} from {2}', a, b, c),
    numbers: vscode.l10n.t('seq {0} (raw {1}) · ack {2} (raw {3})', a, b, c, d),
    sizes: vscode.l10n.t('len {0} · window {1} {2}', a, b, c),
    scaled: vscode.l10n.t('(raw {0} × {1})', a, b),
    notScaled: vscode.l10n.t('(not scaled)'),
    scaleUnknown: vscode.l10n.t('(scale unknown: handshake not seen)'),
    options: vscode.l10n.t('options: {0}', a),
    via: vscode.l10n.t('inside: {0}', a),
    failed: vscode.l10n.t('The diagram could not be drawn: {0}', a),
    step: vscode.l10n.t('step {0} of {1}', a, b),
    client: vscode.l10n.t('client'),
    server: vscode.l10n.t('server'),
    predictQuestion: vscode.l10n.t('Predict: after #{0}, which state is each endpoint in? Pick one for the client and one for the server.', a),
    predictRight: vscode.l10n.t('✓ The {0}: {1}. Right.', a, b),
    predictWrong: vscode.l10n.t('✗ The {0}: you said {1}; it is {2}.', a, b, c),
    predictScore: vscode.l10n.t('score {0} of {1}', a, b),
    arrowQuestion: vscode.l10n.t('Which segment moves the {0} out of {1}? Click its arrow.', a, b),
    arrowRight: vscode.l10n.t('✓ #{0} moves the {1} out of {2}. Right.', a, b, c),
    arrowWrong: vscode.l10n.t('✗ Not #{0}: #{1} moves the {2} out of {3}.', a, b, c, d),
    noArrowQuestion: vscode.l10n.t('No state changes after this step on this page: go back a few steps and ask again.'),
  };
}
