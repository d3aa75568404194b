import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TcpState } from '../../src/core/tcp/states';
import { analyzeFile, LINUX_FIXTURES, linuxFixtureNames } from '../support/files';
import { kernelHistories, visibleStates, type KernelRecord } from '../support/kernelHistory';

describe('state histories inferred from real Linux captures equal the kernel\'s own record', () => {
  for (const name of linuxFixtureNames()) {
    const record = JSON.parse(readFileSync(join(LINUX_FIXTURES, `${name}.kernel.json`), 'utf8')) as KernelRecord;
    const kernel = kernelHistories(record);
    for (const format of ['pcap', 'pcapng'] as const) {
      it(`${name} (${format})`, async () => {
        const analysis = await analyzeFile(join(LINUX_FIXTURES, `${name}.${format}`));
        assert.deepEqual(analysis.errors, []);
        assert.ok(analysis.connections.length > 0, 'no connection found');
        const lifetimeIndex = new Map<string, number>();
        for (const connection of analysis.connections) {
          for (const [self, peer, history] of [
            [connection.client, connection.server, connection.clientHistory],
            [connection.server, connection.client, connection.serverHistory],
          ] as const) {
            const key = `${self}>${peer}`;
            const index = lifetimeIndex.get(key) ?? 0;
            lifetimeIndex.set(key, index + 1);
            // An endpoint the kernel never traced had no socket: a closed port.
            const expected: TcpState[] = kernel.get(key)?.[index] ?? ['CLOSED'];
            const actual = history.map((e) => e.state);
            assert.deepEqual(actual, visibleStates(expected, connection.midstream),
              `connection ${connection.id}, endpoint ${self}: model ${actual.join('→')}`);
          }
        }
        const traced = [...kernel.entries()].reduce((n, [, lives]) => n + lives.length, 0);
        const modelled = [...lifetimeIndex.entries()].filter(([key]) => kernel.has(key)).reduce((n, [, count]) => n + count, 0);
        assert.equal(modelled, traced, 'every socket the kernel traced appears in the model');
      });
    }
  }
});
