import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { Conversation } from '../support/conversation';

const [connection] = new Conversation().c('SYN').s('SYN,ACK', { dt: 0.25 }).c('ACK', { dt: 0.5 }).finish();
const arrows = (text: string) => text.split('\n').filter((l) => l.includes('->>'));

describe('diagram options', () => {
  it('shows each arrow\'s time since the first segment, since the previous one, as UTC time, or not at all', () => {
    const relative = arrows(sequenceDiagram(connection!)[0]!.text);
    assert.match(relative[2]!, /#35;3 \+0\.750000s ACK/);
    const delta = arrows(sequenceDiagram(connection!, { timeFormat: 'delta' })[0]!.text);
    assert.match(delta[2]!, /#35;3 Δ0\.500000s ACK/);
    const absolute = arrows(sequenceDiagram(connection!, { timeFormat: 'absolute' })[0]!.text);
    assert.match(absolute[0]!, /#35;1 00:16:40\.010Z SYN/);
    const none = arrows(sequenceDiagram(connection!, { timeFormat: 'none' })[0]!.text);
    assert.match(none[0]!, /#35;1 SYN seq=0/);
  });

  it('absolute time of day for any time a capture can carry: far in the future, before 1970, beyond what a Date holds', () => {
    for (const [start, expected] of [[1e11, /#35;1 \d\d:\d\d:\d\d\.\d{3}Z SYN/], [-1e9, /#35;1 \d\d:\d\d:\d\d\.\d{3}Z SYN/], [1e16, /#35;1 10000000000001000s SYN/]] as const) {
      const [c] = new Conversation().wait(start).c('SYN').s('SYN,ACK').finish();
      assert.match(sequenceDiagram(c!, { timeFormat: 'absolute' })[0]!.text, expected);
    }
  });

  it('raw sequence numbers instead of relative ones', () => {
    const raw = arrows(sequenceDiagram(connection!, { relative: false })[0]!.text);
    assert.match(raw[1]!, /SYN,ACK seq=5000 ack=1001/);
  });
});
