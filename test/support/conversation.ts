import type { TcpPacket } from '../../src/core/decode/packet';
import { ACK, FIN, PSH, RST, SYN } from '../../src/core/decode/tcpHeader';
import type { Connection } from '../../src/core/tcp/connection';
import { ConnectionTracker } from '../../src/core/tcp/tracker';

const FLAG_BITS: Record<string, number> = { SYN, ACK, FIN, RST, PSH };

export interface Step {
  seq?: number;
  ack?: number;
  len?: number;
  win?: number;
  /** Seconds after the previous segment (default 0.01). */
  dt?: number;
}

/**
 * Hand-written TCP conversations for model tests: each side keeps its own next sequence number, so a test writes
 * `c('SYN')`, `s('SYN,ACK')`, `c('ACK')` and gets consistent seq/ack unless it overrides them.
 */
export class Conversation {
  private readonly tracker: ConnectionTracker;
  private time = 1000;
  private packet = 0;
  private next: { c: number; s: number };

  constructor(clientIss = 1000, serverIss = 5000, readonly msl = 120, private readonly ports = { c: 40000, s: 80 }, keepSegments = true) {
    this.next = { c: clientIss, s: serverIss };
    this.tracker = new ConnectionTracker({ msl, keepSegments });
  }

  c(flags: string, step: Step = {}): this {
    return this.send('c', flags, step);
  }

  s(flags: string, step: Step = {}): this {
    return this.send('s', flags, step);
  }

  /** Moves the clock without a segment (for timers). */
  wait(seconds: number): this {
    this.time += seconds;
    return this;
  }

  /** Sets where a side's next segment starts (e.g. after a SYN that the capture missed). */
  setNext(side: 'c' | 's', seq: number): this {
    this.next[side] = seq >>> 0;
    return this;
  }

  get segmentsInFlight(): number {
    return this.tracker.segmentsInFlight;
  }

  finish(): Connection[] {
    this.tracker.finish();
    return this.tracker.connections;
  }

  private send(side: 'c' | 's', flagText: string, step: Step): this {
    const flags = flagText.split(',').reduce((bits, name) => bits | FLAG_BITS[name.trim()]!, 0);
    const peer = side === 'c' ? 's' : 'c';
    const seq = step.seq ?? this.next[side];
    const len = step.len ?? 0;
    const space = len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
    if (step.seq === undefined || ((step.seq + space) >>> 0) > this.next[side]) this.next[side] = (seq + space) >>> 0;
    this.time += step.dt ?? 0.01;
    const packet: TcpPacket = {
      packet: ++this.packet,
      offset: 0,
      time: this.time,
      ipVersion: 4,
      addresses: Uint8Array.from([10, 0, 0, 1, 10, 0, 0, 2]),
      srcAt: side === 'c' ? 0 : 4,
      dstAt: side === 'c' ? 4 : 0,
      tcp: {
        srcPort: side === 'c' ? this.ports.c : this.ports.s,
        dstPort: side === 'c' ? this.ports.s : this.ports.c,
        seq,
        ack: flags & ACK ? step.ack ?? this.next[peer] : 0,
        flags,
        window: step.win ?? 64240,
        headerLength: 20,
        options: undefined,
      },
      payloadLength: len,
      truncated: false,
      ipLengthCut: undefined,
      layers: undefined,
      fragments: undefined,
    };
    this.tracker.add(packet);
    return this;
  }
}

export const states = (connection: Connection) => ({
  client: connection.clientHistory.map((e) => e.state),
  server: connection.serverHistory.map((e) => e.state),
});
