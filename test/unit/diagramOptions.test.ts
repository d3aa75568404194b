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

  it('a capture that breaks off: a connection still going there ends its last page with a note, within the budget', () => {
    const conv = new Conversation().c('SYN').s('SYN,ACK').c('ACK');
    // Each segment sent twice: retransmissions stay drawn, so the connection needs several pages.
    for (let i = 0; i < 60; i++) conv.c('PSH,ACK', { len: 100 }).c('PSH,ACK', { len: 100, seq: 1001 + i * 100 });
    const [going] = conv.finish();
    const pages = sequenceDiagram(going!, { budget: 20, brokenOff: 'truncated pcap record at offset 900' });
    assert.ok(pages.length > 1);
    const broken = pages.map((p) => p.text.includes('⚠ the capture breaks off here: truncated pcap record at offset 900'));
    assert.deepEqual(broken, pages.map((_, i) => i === pages.length - 1), 'on the last page only');
    assert.ok(pages.every((p) => p.items <= 20), `${pages.map((p) => p.items)} items`);
    assert.equal(pages.at(-1)!.noteCauses.at(-1), -1, 'a note caused by no segment');
    const [ended] = new Conversation().c('SYN').s('SYN,ACK').c('ACK').c('FIN,ACK').s('FIN,ACK').c('ACK').finish();
    assert.doesNotMatch(sequenceDiagram(ended!, { brokenOff: 'truncated' })[0]!.text, /breaks off/, 'ended before the break');
  });

  it('raw sequence numbers instead of relative ones', () => {
    const raw = arrows(sequenceDiagram(connection!, { relative: false })[0]!.text);
    assert.match(raw[1]!, /SYN,ACK seq=5000 ack=1001/);
  });
});
