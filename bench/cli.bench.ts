// `npm run bench -- cli [--runs 10]`: how long a person waits for `modelops` before it does anything. Runs the
// compiled binary's `--help` and `models list --help` (parsing and help only: no server, no network) --runs
// times each, interleaved with `node -e 0` (the floor: starting node itself) so that load on the machine hits
// all three alike. Printed: the median wall time of each, the ratio to node's, and the load average.
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

function flag(args: string[], name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Wall time of one run of node with `argv`, in ms; throws if it fails. */
function timeRun(argv: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, MODELOPS_LOG_LEVEL: 'silent' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function main(args: string[]): Promise<void> {
  const runs = Number(flag(args, 'runs', '10'));
  const root = path.resolve(__dirname, '..');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(root, 'scripts', 'build.js')).build(['--if-stale']);
  const bin = path.join(root, 'bin', 'modelops.js');
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['modelops --help', [bin, '--help']],
    ['modelops models list --help', [bin, 'models', 'list', '--help']],
  ];
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  const loadBefore = os.loadavg()[0];
  for (const [, argv] of cases) timeRun(argv); // warm the file cache
  for (let i = 0; i < runs; i++) {
    for (const [name, argv] of cases) times.get(name)!.push(timeRun(argv));
  }
  const floor = median(times.get('node -e 0')!);
  console.log(`cli startup: median of ${runs} runs each, interleaved; load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after (${os.cpus().length} cpus), node ${process.version}`);
  for (const [name] of cases) {
    const m = median(times.get(name)!);
    console.log(`  ${name.padEnd(30)} ${(m / 1000).toFixed(3)} s  (${(m / floor).toFixed(2)}x node -e 0; min ${(Math.min(...times.get(name)!) / 1000).toFixed(3)} s)`);
  }
}
