// npm run bench: large generated captures, read by tcpviz and by `tshark -q -z conv,tcp` side by side.
// Reports MB/s, peak RSS (GNU time) and the speed ratio. Not part of npm test: speed goals live here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DATA = 'bench/data';
const CASES = [
  { name: 'capture-200mb-20k.pcap', mb: 200, connections: 20000 },
  { name: 'capture-1gb-20k.pcap', mb: 1000, connections: 20000 },
  { name: 'capture-1gb-100k.pcap', mb: 1000, connections: 100000 },
];
const only = process.argv.slice(2);

function need(command, hint) {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
    console.error(`bench needs ${command} (${hint})`);
    process.exit(1);
  }
}
need('tshark', 'apt-get install tshark');
need('/usr/bin/time', 'apt-get install time');

/** Runs a command under GNU time: wall seconds and peak resident memory. */
function measureOnce(command, args) {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  const [seconds, kb] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, rssMiB: kb / 1024, stdout: run.stdout };
}

const RUNS = 3;

/** The fastest of a few runs (a shared machine's noise only ever adds time) and the largest peak memory. */
function measure(command, args) {
  const runs = Array.from({ length: RUNS }, () => measureOnce(command, args));
  return { ...runs.reduce((a, b) => (b.seconds < a.seconds ? b : a)), rssMiB: Math.max(...runs.map((r) => r.rssMiB)) };
}

mkdirSync(DATA, { recursive: true });
const rows = [];
for (const c of CASES.filter((c) => only.length === 0 || only.some((o) => c.name.includes(o)))) {
  const file = join(DATA, c.name);
  if (!existsSync(file)) {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/generateCapture.ts', file, '--mb', String(c.mb),
      '--connections', String(c.connections)], { stdio: 'inherit' });
  }
  const mb = statSync(file).size / 1048576;
  // Warm the page cache so that both tools read from memory.
  execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const json = measure(process.execPath, ['dist/cli/tcpviz.js', file, '--format', 'json', '--no-segments']);
  const text = measure(process.execPath, ['dist/cli/tcpviz.js', file]);
  const tshark = measure('tshark', ['-q', '-z', 'conv,tcp', '-r', file]);
  const ours = JSON.parse(json.stdout).connections.length;
  const theirs = tshark.stdout.split('\n').filter((l) => l.includes('<->')).length;
  rows.push({
    file: c.name, MB: mb.toFixed(0), connections: `${ours} (tshark ${theirs})`,
    'tcpviz json s': json.seconds.toFixed(2), 'MB/s': (mb / json.seconds).toFixed(0), 'RSS MiB': json.rssMiB.toFixed(0),
    'tcpviz text s': text.seconds.toFixed(2), 'text RSS MiB': text.rssMiB.toFixed(0),
    'tshark s': tshark.seconds.toFixed(2), 'tshark RSS MiB': tshark.rssMiB.toFixed(0),
    'speed-up (json)': `${(tshark.seconds / json.seconds).toFixed(1)}×`, 'speed-up (text)': `${(tshark.seconds / text.seconds).toFixed(1)}×`,
  });
}
console.table(rows);
