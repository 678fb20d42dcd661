#!/usr/bin/env node
// `npm run bench`: whole-process timings of the bundled kops-iam command (what `npx kops-iam` and an
// installed `kops-iam` run) against the floor (`node -e 0`) and "the common way" (a cdktf app that
// requires the @cdktf/provider-aws package root), on fixed generated inputs. Prints a markdown table
// of medians and which targets are met. Not part of `npm test`: timings depend on the machine and
// take minutes.
//
// Wall time is Node's monotonic clock around each child process; peak RSS comes from GNU time's %M
// when /usr/bin/time exists, else from polling /proc/<pid>/status (VmHWM).
//
// Environment: BENCH_RUNS (default 5) runs per small target, BENCH_RUNS_LARGE (default 3) for 5,000
// clusters; BENCH_KEEP=1 keeps the temporary folder; BENCH_CLI=dist times the unbundled build
// (apps/kops-iam/dist/cli.js) instead of the bundle, to compare.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { COMMON_WAY_APP, clusterYaml, clustersYaml, manyAddonsClusterYaml } from './bench-inputs.mjs';

const root = join(import.meta.dirname, '..');
const unbundled = process.env.BENCH_CLI === 'dist';
const cli = join(root, 'apps', 'kops-iam', ...(unbundled ? ['dist', 'cli.js'] : ['bin', 'kops-iam.js']));
if (!unbundled && !existsSync(join(root, 'apps', 'kops-iam', 'bundle', 'kops-iam.js'))) throw new Error('build first: npm run build');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const runsLarge = Number(process.env.BENCH_RUNS_LARGE ?? 3);
const GNU_TIME = '/usr/bin/time';
const haveGnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

const work = mkdtempSync(join(tmpdir(), 'kops-iam-bench-'));
// An interrupted run leaves no 20 MB of inputs behind.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });
}
const one = join(work, 'cluster.yaml');
const addons1 = join(work, 'addons-1.yaml');
const k1 = join(work, 'addons-1000.yaml');
const k5 = join(work, 'addons-5000.yaml');
const commonDir = join(work, 'common-way');
writeFileSync(one, clusterYaml(0));
writeFileSync(addons1, manyAddonsClusterYaml(0));
writeFileSync(k1, clustersYaml(1000, manyAddonsClusterYaml));
writeFileSync(k5, clustersYaml(5000, manyAddonsClusterYaml));
mkdirSync(commonDir);
writeFileSync(join(commonDir, 'app.js'), COMMON_WAY_APP);
// The common-way app lives outside the repo; it finds cdktf and the provider where the repo installed them.
const nodePath = [join(root, 'apps', 'kops-iam', 'node_modules'), join(root, 'node_modules')].join(':');
const env = { ...process.env, NODE_PATH: nodePath, CHECKPOINT_DISABLE: '1' };
delete env.NODE_OPTIONS;
// Node reads this CA file as every process starts (some 35 ms on a 2-CPU machine); kops-iam opens no
// TLS connection, so it is left out of every measured command, the floor included.
delete env.NODE_EXTRA_CA_CERTS;

/**
 * A benchmarked command: what to run, what to clear before each run, how to tell it worked. In each
 * round the one-cluster commands run first: a command run right after the 550 MiB common way or
 * thousands of stacks starts on a machine still reclaiming their memory.
 */
const targets = [
  { key: 'floor', label: 'node -e 0 (floor)', argv: [process.execPath, '-e', '0'], runs, check: () => {} },
  synthTarget('synth1', 'kops-iam synth, 1 cluster', one, 1, runs),
  {
    key: 'validate1',
    label: 'kops-iam validate, 1 cluster',
    argv: [process.execPath, cli, 'validate', one],
    runs,
    check: (stdout) => expectText(stdout, '1 cluster valid: c0000.prod.example.com'),
  },
  synthTarget('addons1', 'kops-iam synth, strict many-addons, 1 cluster', addons1, 1, runs),
  {
    key: 'common',
    label: 'common way: cdktf app, provider package root, app.synth()',
    argv: [process.execPath, join(commonDir, 'app.js'), join(commonDir, 'cdktf.out')],
    runs,
    before: () => rmSync(join(commonDir, 'cdktf.out'), { recursive: true, force: true }),
    check: () => {
      const stacks = readdirSync(join(commonDir, 'cdktf.out', 'stacks'));
      const json = readFileSync(join(commonDir, 'cdktf.out', 'stacks', stacks[0], 'cdk.tf.json'), 'utf8');
      if (!json.includes('aws_iam_instance_profile')) throw new Error('common way wrote no instance profile');
    },
  },
  synthTarget('addons1000', 'kops-iam synth, strict many-addons, 1,000 clusters', k1, 1000, runs),
  { ...synthTarget('addons5000', 'kops-iam synth, strict many-addons, 5,000 clusters', k5, 5000, runsLarge), warmUp: false },
];

function synthTarget(key, label, file, count, n) {
  const out = join(work, `out-${count}`);
  return {
    key,
    label,
    argv: [process.execPath, cli, 'synth', file, '--out', out],
    runs: n,
    // A fresh folder each run: replacing the previous output would add its deletion to the time.
    before: () => rmSync(out, { recursive: true, force: true }),
    check: (stdout, stderr) => {
      // A warning per cluster would time the printing of warnings: the inputs are clean.
      if (stderr !== '') throw new Error(`${label}: unexpected stderr: ${stderr.slice(0, 300)}`);
      expectText(stdout, `wrote ${count} stack`);
      const written = readdirSync(join(out, 'stacks')).length;
      if (written !== count) throw new Error(`${label}: ${written} stacks written, expected ${count}`);
    },
  };
}

/**
 * Writes the page cache back to disk before a timed run: otherwise the previous run's
 * 45 MB of stacks (and the deletion of the run before) are written back during the next
 * one and slow its file writes by a second or more.
 */
function flushWrites() {
  spawnSync('sync');
}

function expectText(stdout, text) {
  if (!stdout.includes(text)) throw new Error(`expected output containing '${text}', got: ${stdout.slice(0, 300)}`);
}

/** Runs a command once; resolves to { wall seconds, peak RSS KiB, stdout }. */
function measure(argv) {
  const timeFile = join(work, 'time.txt');
  const [cmd, ...args] = haveGnuTime ? [GNU_TIME, '-f', '%M', '-o', timeFile, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hwm = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // Without GNU time: VmHWM is the process's own peak so far; the last reading before exit is kept.
    const poll = haveGnuTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            // exited between readings
          }
        }, 2);
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (poll) clearInterval(poll);
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}\n${stderr}`));
      const rss = haveGnuTime ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) : hwm;
      resolve({ wall, rss, stdout, stderr });
    });
  });
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const results = {};
// Other work on the machine slows every number down: the load average is printed with them.
const loadBefore = loadavg()[0];
process.stderr.write(`kops-iam bench: inputs in ${work}; peak RSS from ${haveGnuTime ? GNU_TIME + ' %M' : '/proc VmHWM polling'}\n`);
// One run of each first, not counted: it warms the page cache and checks the output
// (not for 5,000 clusters: its input was just written, and every run is checked).
for (const t of targets) {
  if (t.warmUp !== false) {
    t.before?.();
    flushWrites();
    const m = await measure(t.argv);
    t.check(m.stdout, m.stderr);
  }
  t.walls = [];
  t.rsses = [];
}
// Then round by round, every target once a round: a busy spell on the machine slows all
// of them alike instead of one, which keeps the ratios fair.
const rounds = Math.max(...targets.map((t) => t.runs));
for (let round = 0; round < rounds; round += 1) {
  for (const t of targets) {
    if (round >= t.runs) continue;
    t.before?.();
    flushWrites();
    const m = await measure(t.argv);
    t.check(m.stdout, m.stderr);
    t.walls.push(m.wall);
    t.rsses.push(m.rss);
    process.stderr.write(`  round ${round + 1}/${rounds}: ${t.label}: ${m.wall.toFixed(3)} s, ${(m.rss / 1024).toFixed(0)} MiB\n`);
  }
}
for (const t of targets) {
  results[t.key] = { label: t.label, runs: t.runs, wall: median(t.walls), min: Math.min(...t.walls), rss: median(t.rsses) / 1024 };
}

const r = results;
const speedup = r.common.wall / r.synth1.wall;
const linear = r.addons5000.wall / r.addons1000.wall;
const ratio = { common: `${speedup.toFixed(1)}× synth-1`, addons5000: `${linear.toFixed(2)}× 1,000` };

// The targets are checked on medians; the fastest run shows what the machine's other work cost.
const rows = Object.entries(r).map(([key, v]) => [
  v.label,
  String(v.runs),
  v.wall.toFixed(3),
  v.min.toFixed(3),
  v.rss.toFixed(0),
  ratio[key] ?? '',
]);
const head = ['command', 'runs', 'wall s (median)', 'wall s (min)', 'peak RSS MiB (median)', 'ratio'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const left = (i) => i === 0 || i === 5;
const line = (cells) => `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log(`kops-iam: ${unbundled ? 'node apps/kops-iam/dist/cli.js (unbundled)' : 'the bundle, through apps/kops-iam/bin/kops-iam.js'}`);
console.log(line(head));
console.log(`| ${widths.map((w, i) => (left(i) ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`);
for (const row of rows) console.log(line(row));

const seconds = (v) => `${v.wall.toFixed(3)} s`;
const mib = (v) => `${v.rss.toFixed(0)} MiB`;
const checks = [
  ['synth 1 cluster ≤ 0.2 s', r.synth1.wall <= 0.2, seconds(r.synth1)],
  ['synth 1 cluster ≥ 10× faster than the common way (same run)', speedup >= 10, `${speedup.toFixed(1)}×`],
  ['synth 1 cluster ≤ 120 MiB', r.synth1.rss <= 120, mib(r.synth1)],
  ['validate 1 cluster ≤ 0.15 s', r.validate1.wall <= 0.15, seconds(r.validate1)],
  ['strict many-addons synth 1 cluster ≤ 0.35 s', r.addons1.wall <= 0.35, seconds(r.addons1)],
  ['strict many-addons synth 1,000 clusters ≤ 3 s', r.addons1000.wall <= 3, seconds(r.addons1000)],
  ['strict many-addons synth 5,000 ≤ 5.2× 1,000 (linear)', linear <= 5.2, `${linear.toFixed(2)}×`],
  ['peak RSS at 1,000 clusters ≤ 200 MiB', r.addons1000.rss <= 200, mib(r.addons1000)],
  ['peak RSS at 5,000 clusters ≤ 250 MiB', r.addons5000.rss <= 250, mib(r.addons5000)],
];
console.log('');
const machine = `${availableParallelism()} CPUs, load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`;
console.log(
  `Targets (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${process.platform}/${process.arch}, ${machine}):`,
);
for (const [what, ok, value] of checks) console.log(`  ${ok ? 'met    ' : 'NOT MET'}  ${what}: ${value}`);
const perCluster = ((r.addons5000.rss - r.addons1000.rss) * 1024) / 4000;
const inputPerCluster = (statSync(k5).size - statSync(k1).size) / 1024 / 4000;
console.log(`  (peak RSS grows ${perCluster.toFixed(0)} KiB per extra cluster, for ${inputPerCluster.toFixed(1)} KiB of YAML per cluster)`);
const met = checks.filter((c) => c[1]).length;
console.log(`${met}/${checks.length} targets met`);

if (process.env.BENCH_KEEP === '1') process.stderr.write(`kept ${work}\n`);
else rmSync(work, { recursive: true, force: true });
process.exitCode = met === checks.length ? 0 : 1;
