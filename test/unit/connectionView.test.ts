import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Connection } from '../../src/core/tcp/connection';
import { DEFAULT_VIEW, viewOf, type ViewOptions } from '../../src/extension/worker/connectionView';
import { analyzeFile, chunksOf, LINUX_FIXTURES, linuxFixtureNames } from '../support/files';
import { manyConnections } from '../support/manyConnections';
import { analyzeCapture } from '../../src/core/analyze';

/** Every connection of every real fixture, numbered again from 1 as one list would be. */
async function everyConnection(): Promise<Connection[]> {
  const all: Connection[] = [];
  for (const name of linuxFixtureNames()) all.push(...(await analyzeFile(join(LINUX_FIXTURES, `${name}.pcap`))).connections);
  return all;
}

const ids = (connections: readonly Connection[], order: Uint32Array) => [...order].map((i) => connections[i]!.id);
const view = (options: Partial<ViewOptions>): ViewOptions => ({ ...DEFAULT_VIEW, ...options });

describe('the tree\'s view of connections (filter, sort, group)', () => {
  it('a filter keeps the connections holding every word (address, port, outcome, state), #N is connection N', async () => {
    const all = await everyConnection();
    const pick = (filter: string) => [...viewOf(all, view({ filter })).order].map((i) => all[i]!);
    const refused = pick('refused');
    assert.ok(refused.length > 0 && refused.every((c) => c.outcome === 'refused'));
    assert.deepEqual(pick('REFUSED').length, refused.length, 'case does not matter');
    const port = all[5]!.server.split(':').pop()!;
    const onPort = (c: Connection) => c.server.endsWith(`:${port}`) || c.client.endsWith(`:${port}`);
    assert.deepEqual(pick(`:${port}`), all.filter(onPort));
    // Every word must match: the port and a state.
    const inTimeWait = (c: Connection) => [c.states.client, c.states.server].includes('TIME_WAIT');
    assert.deepEqual(pick(`:${port} time_wait`), all.filter((c) => onPort(c) && inTimeWait(c)));
    // #3 is each capture's connection 3 (ids count within their capture), and no other.
    assert.deepEqual(pick('#3'), all.filter((c) => c.id === 3));
    assert.ok(pick('#3').length >= 1);
    assert.equal(pick('no-such-thing').length, 0);
    const rowOf = viewOf(all, view({ filter: 'refused' })).rowOf;
    assert.equal([...rowOf].filter((r) => r >= 0).length, refused.length, 'the others have no row');
  });

  it('sorts largest first by duration, packets, bytes or flags, ties in the order found; start is the order found', async () => {
    const all = await everyConnection();
    assert.deepEqual([...viewOf(all, DEFAULT_VIEW).order], all.map((_, i) => i));
    for (const [sort, value] of [
      ['packets', (c: Connection) => c.packetCount],
      ['bytes', (c: Connection) => c.toServer.bytes + c.toClient.bytes],
      ['duration', (c: Connection) => c.duration],
    ] as const) {
      const { order, rowOf } = viewOf(all, view({ sort }));
      const values = [...order].map((i) => value(all[i]!));
      assert.deepEqual(values, [...values].sort((a, b) => b - a), `${sort}: largest first`);
      for (let row = 1; row < order.length; row++) {
        if (values[row] === values[row - 1]) assert.ok(order[row]! > order[row - 1]!, `${sort}: ties in the order found`);
      }
      order.forEach((index, row) => assert.equal(rowOf[index], row));
    }
  });

  it('groups by outcome or by server, each group its rows in the order asked for; past 200 groups the smallest are one', async () => {
    const all = await everyConnection();
    const { order, groups } = viewOf(all, view({ group: 'outcome', sort: 'packets' }));
    assert.equal(groups.reduce((n, g) => n + g.count, 0), all.length);
    for (const g of groups) {
      const members = [...order.subarray(g.first, g.first + g.count)].map((i) => all[i]!);
      assert.ok(members.every((c) => c.outcome === g.name), g.name);
      const packets = members.map((c) => c.packetCount);
      assert.deepEqual(packets, [...packets].sort((a, b) => b - a), `${g.name}: sorted within`);
    }
    assert.deepEqual(groups.map((g) => g.count), groups.map((g) => g.count).sort((a, b) => b - a), 'largest group first');
    // 300 servers: 199 kept, the other 101 merged.
    const pcap = readFileSync(join(LINUX_FIXTURES, 'simultaneous_close.pcap'));
    const many = (await analyzeCapture(chunksOf(manyConnections(pcap, 300, 8084, 1000), 1 << 16))).connections;
    assert.equal(new Set(many.map((c) => c.server)).size, 300);
    const servers = viewOf(many, view({ group: 'server' })).groups;
    assert.equal(servers.length, 200);
    assert.deepEqual([servers.at(-1)!.merged, servers.at(-1)!.count], [101, 101]);
    assert.ok(servers.slice(0, -1).every((g) => g.count === 1 && !g.merged));
  });

  it('a filter over 100,000 connections finds the one asked for', async () => {
    const pcap = readFileSync(join(LINUX_FIXTURES, 'simultaneous_close.pcap'));
    const many = (await analyzeCapture(chunksOf(manyConnections(pcap, 100_000, 40005), 1 << 20))).connections;
    assert.equal(many.length, 100_000);
    const target = many[77_123]!;
    const found = viewOf(many, view({ filter: target.client }));
    assert.deepEqual(ids(many, found.order), [77_124]);
    assert.deepEqual(ids(many, viewOf(many, view({ filter: '#99999' })).order), [99_999]);
  });
});
