import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DISOWNED_RST, FORGED_RST, MOST_IN_FLIGHT } from '../../src/core/tcp/endpointModel';
import { Conversation, states } from '../support/conversation';

const handshake = (c = new Conversation()) => c.c('SYN').s('SYN,ACK').c('ACK');
const one = (c: Conversation) => {
  const connections = c.finish();
  assert.equal(connections.length, 1);
  return connections[0]!;
};
const anomalies = (c: ReturnType<typeof one>) => c.segments.flatMap((s) => s.anomalies);

describe('RFC 9293 state inference on hand-written conversations', () => {
  it('3-way handshake and 4-way close', () => {
    const c = one(handshake().c('PSH,ACK', { len: 100 }).s('ACK').c('FIN,ACK').s('ACK').s('FIN,ACK').c('ACK'));
    assert.deepEqual(states(c), {
      client: ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT'],
      server: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'],
    });
    assert.equal(c.outcome, 'complete');
    const timeWait = c.clientHistory.at(-1)!;
    assert.equal(timeWait.packet, 8, 'TIME_WAIT is caused by the server FIN');
    assert.deepEqual(anomalies(c), []);
  });

  it('a 3-segment close: the FIN that acknowledges our FIN takes FIN_WAIT_1 through FIN_WAIT_2 to TIME_WAIT at once', () => {
    const c = one(handshake().c('FIN,ACK').s('FIN,ACK').c('ACK'));
    assert.deepEqual(states(c).client, ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    const [fw2, tw] = c.clientHistory.slice(-2);
    assert.equal(fw2!.packet, 5);
    assert.equal(tw!.packet, 5, 'both on the one FIN,ACK segment (RFC 9293 §3.10.7.4, fifth and eighth steps)');
    assert.deepEqual(states(c).server, ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('simultaneous close: FINs that cross take both sides through CLOSING', () => {
    const conv = handshake();
    conv.c('FIN,ACK').s('FIN,ACK', { ack: 1001 }).c('ACK').s('ACK');
    const c = one(conv);
    assert.deepEqual(states(c), {
      client: ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT'],
      server: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT'],
    });
  });

  it('simultaneous open: SYNs that cross take both sides through SYN_RECEIVED', () => {
    const conv = new Conversation(1000, 5000);
    conv.c('SYN').s('SYN').c('SYN,ACK', { seq: 1000 }).s('SYN,ACK', { seq: 5000, ack: 1001, dt: 0.05 });
    const c = one(conv);
    assert.deepEqual(states(c), {
      client: ['CLOSED', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED'],
      server: ['CLOSED', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED'],
    });
  });

  it('half-close: data flows from the side that received the FIN; data after one\'s own FIN is an anomaly', () => {
    const ok = one(handshake().c('FIN,ACK').s('ACK').s('PSH,ACK', { len: 300 }).c('ACK').s('FIN,ACK').c('ACK'));
    assert.deepEqual(anomalies(ok), []);
    assert.deepEqual(states(ok).client.slice(3), ['FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    const bad = one(handshake().c('FIN,ACK').s('ACK').c('PSH,ACK', { seq: 1002, len: 10 }));
    assert.ok(anomalies(bad).includes('data after FIN'));
  });

  it('a refused connection: SYN answered by RST,ACK; the server port was closed', () => {
    const c = one(new Conversation().c('SYN').s('RST,ACK', { seq: 0 }));
    assert.deepEqual(states(c), { client: ['CLOSED', 'SYN_SENT', 'CLOSED'], server: ['CLOSED'] });
    assert.equal(c.outcome, 'refused');
  });

  it('an unanswered SYN and its retransmissions', () => {
    const c = one(new Conversation().c('SYN').c('SYN', { seq: 1000, dt: 1 }).c('SYN', { seq: 1000, dt: 1 }));
    assert.deepEqual(states(c), { client: ['CLOSED', 'SYN_SENT'], server: ['LISTEN'] });
    assert.equal(c.outcome, 'unanswered');
    assert.deepEqual(c.segments.map((s) => s.analysis), [[], ['retransmission'], ['retransmission']]);
  });

  it('a retransmitted SYN: the server\'s SYN_RECEIVED comes from the copy it answered', () => {
    const c = one(new Conversation().c('SYN').c('SYN', { seq: 1000, dt: 1 }).s('SYN,ACK').c('ACK'));
    assert.deepEqual(states(c).server, ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED']);
    assert.equal(c.serverHistory[1]!.packet, 2);
  });

  it('a retransmitted FIN changes nothing; a FIN retransmitted into TIME_WAIT restarts its timer', () => {
    const conv = handshake().c('FIN,ACK').c('FIN,ACK', { seq: 1001, dt: 0.3 }).s('ACK').s('FIN,ACK').c('ACK');
    conv.s('FIN,ACK', { seq: 5001, dt: 0.3 }).c('ACK');
    const c = one(conv);
    assert.deepEqual(states(c).client, ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    assert.deepEqual(c.segments[4]!.analysis, ['retransmission']);
    assert.ok(anomalies(c).some((a) => a.includes('2×MSL timer restarts')));
  });

  it('TIME_WAIT ends after 2×MSL only where the capture runs that long', () => {
    const short = one(handshake(new Conversation(1000, 5000, 30)).c('FIN,ACK').s('FIN,ACK').c('ACK'));
    assert.equal(short.states.client, 'TIME_WAIT');
    const conv = handshake(new Conversation(1000, 5000, 30)).c('FIN,ACK').s('FIN,ACK').c('ACK');
    conv.c('ACK', { dt: 61, seq: 1002 });
    const long = one(conv);
    const last = long.clientHistory.at(-1)!;
    assert.equal(last.state, 'CLOSED');
    assert.equal(last.packet, null);
    assert.ok(Math.abs(last.time! - (long.clientHistory.at(-2)!.time! + 60)) < 1e-9, 'at TIME_WAIT + 2×MSL');
  });

  it('a connection still open when the capture ends', () => {
    const c = one(handshake().c('PSH,ACK', { len: 10 }).s('ACK'));
    assert.equal(c.outcome, 'open');
    assert.deepEqual(c.states, { client: 'ESTABLISHED', server: 'ESTABLISHED' });
  });

  it('a capture that starts mid-connection starts both sides in ESTABLISHED', () => {
    const c = one(new Conversation().c('PSH,ACK', { len: 10 }).s('ACK').s('FIN,ACK').c('FIN,ACK').s('ACK'));
    assert.equal(c.midstream, true);
    assert.deepEqual(states(c), {
      client: ['ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'],
      server: ['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT'],
    });
  });

  it('an ACK of data never sent is an anomaly', () => {
    const c = one(handshake().s('ACK', { ack: 9999 }));
    assert.ok(anomalies(c).includes('ACK of data never sent'));
  });
});

describe('RST in every state, with RFC 9293 and RFC 5961 acceptability', () => {
  const resetFromServer = (conv: Conversation) => conv.s('RST', {});
  const cases: Array<[string, (c: Conversation) => Conversation, string[]]> = [
    ['ESTABLISHED', (c) => handshake(c), ['ESTABLISHED', 'CLOSED']],
    ['FIN_WAIT_1', (c) => handshake(c).c('FIN,ACK'), ['FIN_WAIT_1', 'CLOSED']],
    ['FIN_WAIT_2', (c) => handshake(c).c('FIN,ACK').s('ACK'), ['FIN_WAIT_2', 'CLOSED']],
    ['CLOSE_WAIT', (c) => handshake(c).s('FIN,ACK').c('ACK'), ['CLOSE_WAIT', 'CLOSED']],
    ['LAST_ACK', (c) => handshake(c).s('FIN,ACK').c('FIN,ACK'), ['LAST_ACK', 'CLOSED']],
    ['CLOSING', (c) => handshake(c).c('FIN,ACK').s('FIN,ACK', { ack: 1001 }).c('ACK'), ['CLOSING', 'CLOSED']],
    ['TIME_WAIT', (c) => handshake(c).c('FIN,ACK').s('FIN,ACK').c('ACK'), ['TIME_WAIT', 'CLOSED']],
  ];
  for (const [state, build, tail] of cases) {
    it(`an RST at RCV.NXT closes the client in ${state}`, () => {
      const c = one(resetFromServer(build(new Conversation())));
      assert.deepEqual(states(c).client.slice(-2), tail);
      assert.equal(c.outcome, 'reset');
    });
  }

  it('an RST in the window but not at RCV.NXT gets a challenge ACK and changes nothing (RFC 5961 §3)', () => {
    const c = one(handshake().s('RST', { seq: 5001 + 100 }));
    assert.equal(c.states.client, 'ESTABLISHED');
    assert.ok(anomalies(c).some((a) => a.includes('challenge ACK')));
  });

  it('an RST outside the window is dropped', () => {
    const c = one(handshake().s('RST', { seq: 5001 + 10_000_000 }));
    assert.equal(c.states.client, 'ESTABLISHED');
    assert.ok(anomalies(c).some((a) => a.includes('outside the receive window')));
  });

  it('in SYN_SENT an RST counts only with an acceptable ACK', () => {
    const noAck = one(new Conversation().c('SYN').s('RST', { seq: 0 }));
    assert.equal(noAck.states.client, 'SYN_SENT');
    const wrongAck = one(new Conversation().c('SYN').s('RST,ACK', { seq: 0, ack: 77 }));
    assert.equal(wrongAck.states.client, 'SYN_SENT');
    assert.ok(anomalies(wrongAck).some((a) => a.includes('RST ignored in SYN_SENT')));
  });

  it('an RST,ACK injected in SYN_SENT does not close the server\'s port: the real SYN,ACK after it opens the connection', () => {
    const conv = new Conversation().c('SYN').s('RST,ACK', { seq: 0, ack: 77 });
    conv.setNext('s', 5000).s('SYN,ACK').c('ACK');
    const c = one(conv);
    assert.deepEqual(states(c), {
      client: ['CLOSED', 'SYN_SENT', 'ESTABLISHED'],
      server: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED'],
    });
    assert.ok(c.segments[1]!.anomalies.includes(FORGED_RST));
    assert.deepEqual(c.segments.slice(2).flatMap((s) => s.anomalies), [], 'nothing "sent in state CLOSED"');
    assert.equal(c.segments[2]!.relSeq, 0, 'relative numbers count from the SYN,ACK, not from the forged RST');
    assert.equal(c.outcome, 'open');
  });

  it('a forged SYN in ESTABLISHED changes no state and no relative number', () => {
    const c = one(handshake().c('SYN', { seq: 777_777 }).c('PSH,ACK', { seq: 1001, len: 10 }));
    assert.deepEqual(states(c).client, ['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    assert.deepEqual(states(c).server, ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED']);
    assert.equal(c.segments[4]!.relSeq, 1);
  });

  it('a bare RST answering a SYN is not the server\'s (a SYN is answered by RST,ACK); a real refusal is', () => {
    const bare = one(new Conversation().c('SYN').s('RST', { seq: 0 }));
    assert.deepEqual(states(bare).server, ['LISTEN']);
    assert.ok(bare.segments[1]!.anomalies.includes(FORGED_RST));
    const refused = one(new Conversation().c('SYN').s('RST,ACK', { seq: 0 }));
    assert.deepEqual(states(refused).server, ['CLOSED']);
    assert.deepEqual(refused.segments[1]!.anomalies, []);
    assert.equal(refused.outcome, 'refused');
  });

  it('forged RSTs in ESTABLISHED leave their apparent sender alone, out of the window and in it', () => {
    for (const seq of [5001 + 10_000_000, 5001 + 100]) {
      const c = one(handshake().s('RST', { seq }).c('PSH,ACK', { len: 10 }).s('ACK').c('FIN,ACK').s('FIN,ACK').c('ACK'));
      assert.deepEqual(states(c), {
        client: ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT'],
        server: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'],
      }, `seq ${seq}`);
      assert.ok(c.segments[3]!.anomalies.includes(FORGED_RST), `seq ${seq}`);
      assert.ok(!anomalies(c).some((a) => a.includes('in state CLOSED')), `seq ${seq}`);
    }
  });

  it('an RST forged exactly at the sender\'s SND.NXT resets its receiver; its apparent sender going on after it takes back its close', () => {
    // The forged RST is at the server's next sequence number: the client (as Linux does) resets. The server, which
    // never sent it, sends its FIN 0.5 s later from the same sequence space; the client, closed, answers with an RST.
    const c = one(handshake().s('PSH,ACK', { len: 200 }).s('RST', { seq: 5201 }).s('FIN,ACK', { seq: 5201, dt: 0.5 }).c('RST', { seq: 1001, ack: 0 }));
    assert.deepEqual(states(c), {
      client: ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'CLOSED'],
      server: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSED'],
    });
    const rst = c.segments[4]!;
    assert.deepEqual(rst.anomalies, [DISOWNED_RST]);
    assert.equal(c.clientHistory[3]!.segment, rst.index, 'the client was reset by it');
    assert.ok(!anomalies(c).some((a) => a.includes('in state CLOSED')));
    // An endpoint that really reset and then answers with RSTs keeps its close.
    const real = one(handshake().s('RST', { seq: 5001 }).c('ACK', { seq: 1001 }).s('RST', { seq: 5001 }));
    assert.deepEqual(states(real).server, ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSED']);
    assert.ok(!anomalies(real).includes(DISOWNED_RST));
  });

  it('a server that refused a SYN may accept its retransmission (the same ISN): the port opened since', () => {
    const c = one(new Conversation().c('SYN').s('RST,ACK', { seq: 0 }).c('SYN', { seq: 1000, dt: 1 }).s('SYN,ACK').c('ACK'));
    assert.deepEqual(states(c).server, ['CLOSED', 'LISTEN', 'SYN_RECEIVED', 'ESTABLISHED']);
    assert.deepEqual(anomalies(c), [], 'no "SYN,ACK sent in state CLOSED"');
    assert.equal(c.segments[3]!.relSeq, 0, 'relative numbers from the SYN,ACK, not the RST');
  });

  it('a capture of one direction: the client\'s ACK of the server\'s ISN + 1 proves the SYN,ACK nobody saw', () => {
    const c = one(new Conversation().c('SYN').c('ACK', { ack: 5001 }).c('PSH,ACK', { len: 10, ack: 5001 }).c('FIN,ACK', { ack: 5001 }));
    assert.deepEqual(states(c), {
      client: ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1'],
      server: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT'],
    });
    assert.equal(c.clientHistory[2]!.packet, 2, 'established by its ACK, which shows the SYN,ACK came');
    assert.deepEqual(anomalies(c), [], 'no "data sent in state SYN_SENT"');
    assert.notEqual(c.outcome, 'unanswered');
    // With the server's side in the capture, nothing is guessed: an ACK in SYN_SENT without a SYN,ACK stays a contradiction.
    const both = one(new Conversation().c('SYN').s('ACK', { seq: 5001, ack: 1001 }).c('ACK', { ack: 5001 }));
    assert.deepEqual(states(both).client, ['CLOSED', 'SYN_SENT']);
  });

  it('in SYN_RECEIVED from a passive open an RST returns the server to LISTEN', () => {
    const c = one(new Conversation().c('SYN').s('SYN,ACK').c('RST', { seq: 1001 }));
    assert.deepEqual(states(c).server, ['LISTEN', 'SYN_RECEIVED', 'LISTEN']);
  });

  it('LISTEN ignores an RST', () => {
    const c = one(new Conversation().c('RST,ACK', { seq: 1, ack: 1 }));
    assert.deepEqual(c.segments[0]!.anomalies, []);
  });

  it('the endpoint that sends an RST aborts: CLOSED', () => {
    const c = one(handshake().c('RST,ACK'));
    assert.deepEqual(states(c), {
      client: ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'CLOSED'],
      server: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSED'],
    });
  });

  it('a SYN with a new sequence number inside an open connection gets a challenge ACK (RFC 5961 §4)', () => {
    const c = one(handshake().c('PSH,ACK', { len: 5 }).s('SYN', { seq: 777777 }));
    assert.ok(anomalies(c).some((a) => a.includes('challenge ACK')));
    assert.equal(c.states.client, 'ESTABLISHED');
  });
});

describe('connections on one 4-tuple', () => {
  it('a new SYN after the previous connection closed starts a new connection, flagged as reused ports', () => {
    const conv = handshake().c('FIN,ACK').s('FIN,ACK').c('ACK');
    conv.setNext('c', 90000).c('SYN', { dt: 1 }).s('SYN,ACK').c('ACK');
    const connections = conv.finish();
    assert.equal(connections.length, 2);
    assert.deepEqual(connections[1]!.segments[0]!.analysis, ['reused_ports']);
    assert.equal(connections[0]!.outcome, 'complete');
    assert.equal(connections[1]!.outcome, 'open');
  });
});

describe('anomaly counts', () => {
  it('count a contradiction found when the segment is delivered, whether segments are kept or not', () => {
    const counts = [true, false].map((keepSegments) => {
      const talk = new Conversation(1000, 5000, 120, { c: 40000, s: 80 }, keepSegments);
      // The client ACKs data the server never sent: found when the server's next segment shows it had arrived.
      handshake(talk).c('ACK', { ack: 999_999 }).s('PSH,ACK', { len: 10 }).c('FIN,ACK').s('FIN,ACK').c('ACK');
      return one(talk).anomalyCount;
    });
    assert.deepEqual(counts, [1, 1]);
  });
});

describe('an endpoint that never answers (a capture of one direction only)', () => {
  it('holds at most MOST_IN_FLIGHT segments on their way to it, and still receives them all in order', () => {
    const conv = handshake();
    let most = 0;
    for (let i = 0; i < 5000; i++) {
      conv.s('PSH,ACK', { len: 1000 });
      most = Math.max(most, conv.segmentsInFlight);
    }
    conv.s('FIN,ACK');
    most = Math.max(most, conv.segmentsInFlight);
    assert.ok(most <= MOST_IN_FLIGHT + 1, `${most} segments held at once`);
    const c = one(conv);
    assert.deepEqual(states(c), {
      client: ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'CLOSE_WAIT'],
      server: ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1'],
    });
    assert.equal(c.clientHistory.at(-1)!.packet, 5004, 'CLOSE_WAIT is caused by the FIN');
    assert.deepEqual(anomalies(c), []);
  });

  it('a receiver whose ACKs never cover the data holds no more either (each of its segments walks the queue)', () => {
    const conv = handshake();
    let most = 0;
    for (let i = 0; i < 3 * MOST_IN_FLIGHT; i++) {
      conv.s('PSH,ACK', { len: 1000 }).c('ACK', { ack: 5001, dt: 0 });
      most = Math.max(most, conv.segmentsInFlight);
    }
    assert.ok(most <= MOST_IN_FLIGHT + 1, `${most} segments held at once`);
    assert.deepEqual(states(one(conv)).client, ['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
  });

  it('a listener that never answers receives nothing, however many SYNs reach it', () => {
    const conv = new Conversation();
    for (let i = 0; i < 3 * MOST_IN_FLIGHT; i++) conv.c('SYN', { seq: 1000 });
    assert.ok(conv.segmentsInFlight <= MOST_IN_FLIGHT);
    const c = one(conv);
    assert.deepEqual(states(c), { client: ['CLOSED', 'SYN_SENT'], server: ['LISTEN'] });
    assert.equal(c.outcome, 'unanswered');
  });
});
