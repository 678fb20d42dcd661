#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type CommandArgs } from './cli-args';
import { helpText } from './cli-help';
import { processIO, type CliIO } from './cli-io';
import { inputSizes, readInputs, type InputsRead } from './read-inputs';
import { validateCommand } from './validate-command';
import type { StartedWorker } from './worker-threads';

export type { CliIO } from './cli-io';

/** Runs the command line; returns the exit status instead of exiting, so tests can call it. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv);
  switch (args.kind) {
    case 'help':
      io.stdout(helpText(args.command));
      return 0;
    case 'version':
      io.stdout(`kops-iam ${packageVersion()}\n`);
      return 0;
    case 'usage-error':
      io.stderr(`kops-iam: ${args.message}\nRun 'kops-iam${args.command === undefined ? '' : ` ${args.command}`} --help' for usage.\n`);
      return 2;
    case 'run':
      return runCommand(args, io);
  }
}

async function runCommand(args: CommandArgs, io: CliIO): Promise<number> {
  const started = args.command === 'synth' && ownProcess ? await startWorkersEarly(args.files, io) : undefined;
  try {
    const read = await readInputs(args.files, io);
    if (!read.ok) {
      for (const problem of read.problems) io.stderr(`kops-iam: ${problem}\n`);
      return 2;
    }
    if (args.command === 'validate') return await validateCommand(read.inputs, io);
    if (args.command === 'explain') return await explain(read.inputs, args.format, io);
    return await synth(read, args, io, started);
  } finally {
    // Workers started here end with the run, whatever ended it (the pool that took them stopped them already).
    if (started !== undefined) await Promise.all(started.map((w) => w.worker.terminate()));
  }
}

/**
 * The worker threads of a large synth, started before the input is read (its size known from
 * the files' sizes), so that they load cdktf meanwhile: a worker took some 0.28 s from its
 * start to its first part of the input, and started 0.15 s into a run of 1,000 clusters after
 * the input was read and cdktf loaded here (cpu profile). The heap settings come first: a
 * worker takes the process's V8 flags as it starts. Undefined for a small input.
 */
async function startWorkersEarly(files: readonly string[], io: CliIO): Promise<StartedWorker[] | undefined> {
  const { PARALLEL_MIN_BYTES, startWorkers, workersFor } = await import('./worker-threads');
  const bytes = inputSizes(files, io.cwd);
  if (bytes < PARALLEL_MIN_BYTES) return undefined;
  const workers = workersFor(bytes);
  (await import('./v8-tuning')).tuneV8(1 + workers);
  return startWorkers(workers);
}

async function explain(inputs: InputsRead['inputs'], format: CommandArgs['format'], io: CliIO): Promise<number> {
  // Loaded only here: validate does without Terraform's names (and node:crypto, 7 ms of a 0.18 s run).
  const { explainCommand } = await import('./explain-command');
  return explainCommand(inputs, format, io);
}

/** Set when this module runs as the command: only then may it change V8's settings, never in a host program. */
let ownProcess = false;

async function synth(read: InputsRead, args: CommandArgs, io: CliIO, started: readonly StartedWorker[] | undefined): Promise<number> {
  // Loaded only here: validate and explain never pay for cdktf and the provider classes.
  const { synthCommand, PARALLEL_MIN_BYTES, workersFor } = await import('./synth-command');
  // Only a long run needs V8 tuned (v8-tuning.ts); node:v8 alone takes 4 ms to load. (Tuned
  // already when workers were started early; a large standard input is known only now.)
  if (ownProcess && started === undefined && read.bytes >= PARALLEL_MIN_BYTES)
    (await import('./v8-tuning')).tuneV8(1 + workersFor(read.bytes));
  return synthCommand(read.inputs, read.bytes, args.out, io, { importExisting: args.importExisting }, started);
}

/** The version in the package's package.json (beside dist/ and src/). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

if (require.main === module) {
  ownProcess = true;
  const io = processIO();
  run(process.argv.slice(2), io).then(
    (code) => {
      const failure = io.streamFailure();
      if (failure !== undefined) io.stderr(`kops-iam: ${failure}\n`);
      process.exitCode = failure === undefined ? code : 2;
    },
    (e: unknown) => {
      // A bug, not bad input: say so briefly; KOPS_IAM_DEBUG shows the trace.
      process.stderr.write(`kops-iam: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      if (process.env.KOPS_IAM_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
      process.exitCode = 70;
    },
  );
}
