import * as vscode from 'vscode';
import type { DiagramWords } from '../core/diagram/diagramWords';

/** The diagram's phrases in the user's language. Each placeholder is passed back in, so the core fills it later. */
export function diagramWords(): DiagramWords {
  const [a, b, c] = ['{0}', '{1}', '{2}'];
  return {
    title: vscode.l10n.t('Connection {0}: {1} → {2}', a, b, c),
    page: vscode.l10n.t('{0} (page {1} of {2})', a, b, c),
    setUp: vscode.l10n.t('connection set-up'),
    teardown: vscode.l10n.t('teardown'),
    continued: vscode.l10n.t('continued: client {0}, server {1}', a, b),
    crossed: vscode.l10n.t('#{0} and #{1} crossed in flight', a, b),
    lost: vscode.l10n.t('✗ lost'),
    arrived: vscode.l10n.t('{0} · #{1} arrived', a, b),
    notCaptured: vscode.l10n.t('⋯ {0} seq {1}–{2} not captured', a, b, c),
    summary: vscode.l10n.t('⋯ #{0}–#{1}: {2} segments', a, b, c),
    summaryData: vscode.l10n.t('{0} of data ({1})', a, b),
    summaryAcks: vscode.l10n.t('{0} ACKs', a),
    summaryAck: vscode.l10n.t('1 ACK'),
    timeWait: vscode.l10n.t('TIME_WAIT (2×MSL = {0} s; Linux: 60 s)', a),
    timeWaitOver: vscode.l10n.t('CLOSED (2×MSL over at {0})', a),
    timeWaitOf: vscode.l10n.t('TIME_WAIT ({0}: {1} s)', a, b),
    timeWaitOfOver: vscode.l10n.t('CLOSED (TIME_WAIT over at {0})', a),
    dupAck: vscode.l10n.t('dup ack #{0}', a),
    brokenOff: vscode.l10n.t('⚠ the capture breaks off here: {0}', a),
  };
}

