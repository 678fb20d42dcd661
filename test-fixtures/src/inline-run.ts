import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTree, runCli } from './cases';
import { evaluateStackText, type EvaluatedStack } from './terraform-stack-eval';

/** What a run of the command on inline files gave. */
export interface InlineRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The error lines of stderr. */
  readonly errors: readonly string[];
  /** Files written under `--out` (synth), by relative path. */
  readonly written: ReadonlyMap<string, string>;
  /** True when the output folder or its parent exists after the run. */
  readonly outCreated: boolean;
  /** CPU time of this process during the run (ms): not inflated by other processes. */
  readonly cpuMs: number;
}

/**
 * Runs `kops-iam <command> FILE…` in-process on files given as text, in a fresh folder; synth
 * writes to `parent/out`, a folder whose parent does not exist.
 */
export async function runInline(command: 'synth' | 'validate', files: Record<string, string>, flags?: string): Promise<InlineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kops-iam-inline-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const out = join(dir, 'parent', 'out');
    const args = [command, ...Object.keys(files), ...(command === 'synth' ? ['--out', out] : [])];
    const cpu = process.cpuUsage();
    const r = await runCli(args, dir, flags);
    const used = process.cpuUsage(cpu);
    const errors = r.stderr.split('\n').filter((l) => / error: /.test(l));
    return { ...r, errors, written: readTree(out), outCreated: existsSync(join(dir, 'parent')), cpuMs: (used.user + used.system) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The stack a synth run wrote for a cluster, evaluated as Terraform reads it. */
export function writtenStack(run: InlineRun, cluster: string): EvaluatedStack {
  const text = run.written.get(`stacks/${cluster}/cdk.tf.json`);
  if (text === undefined) throw new Error(`no stack for ${cluster}; exit ${run.exitCode}: ${run.stderr}`);
  return evaluateStackText(text);
}

/** A legacy cluster (the seed's form) named `name`, with `spec` lines (indented two spaces) added. */
export function seedCluster(spec: readonly string[] = [], name = 'r.example.com'): string {
  return [
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  cloudProvider: aws',
    '  dnsZone: Z1234567890ABC',
    '  subnets:',
    '  - name: a',
    '    zone: eu-west-1a',
    ...spec,
    '',
  ].join('\n');
}

/** What a child process gave: its exit status or signal, stderr, CPU and wall time, and whether it was stopped at the time limit. */
export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** The child's own CPU time (user + system, ms), reported by it as it exits; undefined when it was killed. */
  readonly cpuMs: number | undefined;
  readonly ms: number;
  readonly timedOut: boolean;
}

const CPU_LINE = /\n?\[kops-iam-test cpu-ms (\d+(?:\.\d+)?)\]\n$/;

/**
 * Runs the built command (`apps/kops-iam/dist/cli.js ARGS`) in a child process, as its main
 * module, killed after `timeoutMs`. The child reports its CPU time as it exits: unlike wall
 * time, it does not grow with the load of other processes on the machine.
 */
export function runBuiltCli(args: readonly string[], cwd: string, timeoutMs: number, nodeArgs: readonly string[] = []): Promise<ChildRun> {
  const cli = require.resolve('kops-iam/dist/cli.js');
  const report =
    "process.on('exit', () => { const u = process.cpuUsage(); " +
    "process.stderr.write('\\n[kops-iam-test cpu-ms ' + (u.user + u.system) / 1000 + ']\\n'); });";
  // `node -e CODE x ARGS`: process.argv is [node, x, ...ARGS], as the command expects after its own path.
  const code = `${report} require('node:module')._load(${JSON.stringify(cli)}, null, true);`;
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, '-e', code, 'kops-iam', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-100_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (exit, signal) => {
      clearTimeout(timer);
      const cpu = CPU_LINE.exec(stderr);
      resolve({
        code: exit,
        signal,
        stderr: stderr.replace(CPU_LINE, ''),
        cpuMs: cpu === null ? undefined : Number(cpu[1]),
        ms: Date.now() - start,
        timedOut,
      });
    });
  });
}
