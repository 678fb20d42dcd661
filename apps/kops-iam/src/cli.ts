#!/usr/bin/env node
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { tuneHeapForStreaming } from './heap-tuning';
import { explainPlans, formatDiagnostic, loadPlans, renderExplainMarkdown, streamPlans, type Diagnostic, type InputFile } from '@kops-iam/core';

/** Where the command writes: injectable so tests run it in-process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal: only then is progress shown. */
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

const USAGE = `kops-iam: kops cluster IAM as Terraform JSON (through cdktf)

Usage:
  kops-iam synth FILE... [--out DIR]   write DIR/stacks/<cluster>/cdk.tf.json (DIR defaults to cdktf.out)
  kops-iam validate FILE...            check the manifests, write nothing
  kops-iam explain FILE... [--format md|json]
                                       print what each role may do
  kops-iam --help | --version

FILE holds kops manifests (kind: Cluster and InstanceGroup, as 'kops get --name X -o yaml'
prints them) or the bare metadata/spec form; '-' reads standard input.
KOPS_FEATURE_FLAGS=+CustomPoliciesSupport allows spec.customPolicies, as in kops.

Exit status: 0 success, 1 invalid input (nothing written), 2 usage error.
`;

/** A usage error: wrong flags, no files, unreadable files. */
class UsageError extends Error {}

interface Args {
  readonly command: 'synth' | 'validate' | 'explain';
  readonly files: string[];
  readonly out: string;
  readonly format: 'md' | 'json';
}

function parseArgs(argv: readonly string[]): Args | 'help' | 'version' {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return 'help';
  if (argv.includes('--version')) return 'version';
  const [command, ...rest] = argv;
  if (command !== 'synth' && command !== 'validate' && command !== 'explain') {
    throw new UsageError(`unknown command '${command}'; use synth, validate or explain`);
  }
  const files: string[] = [];
  let out = 'cdktf.out';
  let format: 'md' | 'json' = 'md';
  for (let i = 0; i < rest.length; i += 1) {
    const a = rest[i] as string;
    const value = (flag: string): string => {
      const inline = a.startsWith(`${flag}=`) ? a.slice(flag.length + 1) : undefined;
      const v = inline ?? rest[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (a === '--out' || a.startsWith('--out=')) {
      if (command !== 'synth') throw new UsageError('--out goes with synth');
      out = value('--out');
    } else if (a === '--format' || a.startsWith('--format=')) {
      if (command !== 'explain') throw new UsageError('--format goes with explain');
      const f = value('--format');
      if (f !== 'md' && f !== 'json') throw new UsageError(`--format is md or json, not '${f}'`);
      format = f;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      files.push(a);
    }
  }
  if (files.length === 0) throw new UsageError(`${command} needs at least one FILE`);
  return { command, files, out, format };
}

/** The inputs, checked readable now so that a typo is a usage error; regular files are read later, a piece at a time. */
function readInputs(files: readonly string[], cwd: string | undefined): InputFile[] {
  return files.map((name) => {
    try {
      if (name === '-') return { name: '<stdin>', text: readFileSync(0, 'utf8') };
      const path = cwd === undefined ? name : resolve(cwd, name);
      const stat = statSync(path);
      if (stat.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
      // A pipe (`<(kops get ...)`) can be read only once: it is held whole, like standard input.
      if (!stat.isFile()) return { name, text: readFileSync(path, 'utf8') };
      accessSync(path, constants.R_OK);
      return { name, path };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
      throw new UsageError(`cannot read '${name}': ${why}`);
    }
  });
}

/** The size of the input in bytes, which decides whether synth starts worker threads. */
function inputBytes(inputs: readonly InputFile[]): number {
  return inputs.reduce((n, f) => n + ('text' in f ? f.text.length : statSync(f.path).size), 0);
}

function report(diagnostics: readonly Diagnostic[], io: CliIO): void {
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) io.stderr(`kops-iam: ${errors} error${errors === 1 ? '' : 's'}; nothing written\n`);
}

/** Runs the command line; returns the exit status instead of exiting, so tests can call it. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  let inputs: InputFile[];
  try {
    args = parseArgs(argv);
    if (args === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (args === 'version') {
      io.stdout(`kops-iam ${(require('../package.json') as { version: string }).version}\n`);
      return 0;
    }
    inputs = readInputs(args.files, io.cwd);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`kops-iam: ${e.message}\nRun 'kops-iam --help' for usage.\n`);
    return 2;
  }
  const options = { featureFlags: io.env.KOPS_FEATURE_FLAGS };
  if (args.command === 'explain') {
    const result = await loadPlans(inputs, options);
    report(result.diagnostics, io);
    if (!result.ok) return 1;
    const explained = await explainPlans(result.clusters.map((c) => c.plan));
    io.stdout(args.format === 'json' ? `${JSON.stringify(explained, null, 2)}\n` : renderExplainMarkdown(explained));
    return 0;
  }
  if (args.command === 'validate') {
    const result = await streamPlans(inputs, options, () => undefined);
    report(result.diagnostics, io);
    if (!result.ok) return 1;
    const n = result.clusters.length;
    io.stdout(`${n} cluster${n === 1 ? '' : 's'} valid: ${result.clusters.join(', ')}\n`);
    return 0;
  }
  // Loaded only here: validate and explain never pay for cdktf and the provider classes.
  const { estimateClusters } = await import('./progress');
  const { openStackWriter, workersFor } = await import('./synth-command');
  const out = io.cwd === undefined ? args.out : resolve(io.cwd, args.out);
  // Stacks are written as clusters are read, into a staging folder that only a run
  // without errors swaps in; the input is never held whole, nor are its plans.
  const opened = openStackWriter(out, io, workersFor(inputBytes(inputs)), io.interactive ? estimateClusters(inputs) : undefined);
  const writer = opened instanceof Error ? undefined : opened;
  // Interrupted, the run leaves no staging folder behind either.
  const interrupted = (signal: NodeJS.Signals): void => {
    void (writer?.interrupt() ?? Promise.resolve()).finally(() => process.kill(process.pid, signal));
  };
  for (const signal of SIGNALS) process.once(signal, interrupted);
  try {
    const result = await streamPlans(inputs, options, writer === undefined ? () => undefined : (c) => writer.add(c.plan));
    report(result.diagnostics, io);
    if (!result.ok) {
      await writer?.abandon();
      return 1;
    }
    if (writer === undefined) {
      io.stderr(`kops-iam: ${(opened as Error).message}\n`);
      return 2;
    }
    await writer.finish(result.clusters);
    io.stdout(writer.summary(result.clusters));
    return 0;
  } catch (e) {
    await writer?.abandon();
    throw e;
  } finally {
    for (const signal of SIGNALS) process.removeListener(signal, interrupted);
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

if (require.main === module) {
  tuneHeapForStreaming();
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    interactive: process.stderr.isTTY === true,
    env: process.env,
  };
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // A bug, not bad input: say so briefly; KOPS_IAM_DEBUG shows the trace.
      process.stderr.write(`kops-iam: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      if (process.env.KOPS_IAM_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
      process.exitCode = 70;
    },
  );
}
