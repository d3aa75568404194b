import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENGLISH_WORDS } from '../../src/core/diagram/diagramWords';
import { ENGLISH_PANEL_WORDS } from '../../src/shared/panelWords';
import { ENGLISH_STEP_WORDS } from '../../src/core/explain/stepExplanation';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario/builtins';
import { stateExplanation } from '../../src/core/tcp/stateExplanations';
import { TCP_STATES } from '../../src/core/tcp/states';
import { UNREAD } from '../../src/core/decode/walk';
import { ROOT } from '../support/files';

const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, string>;

describe('translations (English and Korean)', () => {
  it('every manifest string has an English and a Korean text', () => {
    const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
    const keys = [...manifest.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]!);
    const en = json('package.nls.json');
    const ko = json('package.nls.ko.json');
    for (const key of keys) assert.ok(en[key], `package.nls.json lacks ${key}`);
    assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
    for (const [key, text] of Object.entries(ko)) assert.match(text, /[가-힣]/, `${key} is not Korean`);
  });

  it('every runtime string and every state explanation has a Korean translation', () => {
    const dir = join(ROOT, 'src', 'extension');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    const literals = [...sources.matchAll(/l10n\.t\('((?:[^'\\]|\\.)+)'/g)].map((m) => m[1]!.replace(/\\'/g, "'"));
    const explanations = TCP_STATES.map(stateExplanation);
    const ko = json('l10n/bundle.l10n.ko.json');
    // What the decoder counts as not read is shown in the tree's words for it.
    for (const text of [...literals, ...explanations, ...Object.values(UNREAD)]) assert.ok(ko[text], `no Korean for "${text}"`);
    assert.ok(literals.length > 15);
  });

  it('every built-in lesson\'s title, explanation and note on the OSes has a Korean translation', () => {
    const ko = json('l10n/bundle.l10n.ko.json');
    for (const lesson of BUILTIN_SCENARIOS) {
      for (const text of [lesson.title, lesson.explanation, lesson.osNote]) assert.match(ko[text] ?? '', /[가-힣]/, `no Korean for "${text}"`);
    }
  });

  for (const [what, file, english] of [['the diagram\'s', 'diagramWords.ts', ENGLISH_WORDS], ['the panel\'s', 'panelWords.ts', ENGLISH_PANEL_WORDS],
    ['the step explanations\'', 'stepWords.ts', ENGLISH_STEP_WORDS]] as const) {
    it(`${what} phrases: the extension asks for each English one, every one translated with its placeholders`, () => {
      const source = readFileSync(join(ROOT, 'src', 'extension', file), 'utf8');
      const asked = Object.fromEntries([...source.matchAll(/(\w+): vscode\.l10n\.t\('((?:[^'\\]|\\.)+)'/g)].map((m) => [m[1]!, m[2]!.replace(/\\'/g, "'")]));
      assert.deepEqual(asked, english);
      const ko = json('l10n/bundle.l10n.ko.json');
      for (const text of Object.values(english)) {
        const placeholders = (t: string) => [...t.matchAll(/\{\d\}/g)].map((m) => m[0]).sort();
        assert.deepEqual(placeholders(ko[text]!), placeholders(text), `the Korean of "${text}" keeps its placeholders`);
      }
    });
  }
});
