import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { fuzzSeeds, type FuzzSeed } from './fuzz-case';
import { runFuzz, type FuzzCategory, type FuzzOptions, type FuzzReport } from './fuzz-run';

/** The source folder (test-fixtures/src) and the repository's node_modules, where compiled workers resolve packages. */
const SRC = resolve(__dirname, '..');
const NODE_MODULES = resolve(SRC, '..', '..', 'node_modules');

/**
 * Runs the fuzz cases on every CPU: one worker thread per CPU (at most `max`), each taking
 * every k-th case, so the cases and their outcomes are those of a run in one thread. Worker
 * threads run JavaScript only: the worker's modules are compiled from this folder's
 * TypeScript (transpiled, no type check) into a temporary folder first. With one CPU, or a
 * single case to replay, the cases run in this thread.
 */
export async function runFuzzParallel(options: FuzzOptions, max = 4): Promise<FuzzReport> {
  const workers = Math.min(max, availableParallelism());
  const seeds = fuzzSeeds();
  if (workers <= 1 || options.only !== undefined) return runFuzz(seeds, options);
  const start = Date.now();
  const cpu = process.cpuUsage();
  const out = mkdtempSync(join(tmpdir(), 'kops-iam-fuzz-js-'));
  const threads: Worker[] = [];
  try {
    const entry = compile(join(SRC, 'fuzz', 'fuzz-worker.ts'), out);
    const share = (index: number) => ({ options: { ...options, part: { index, of: workers } }, seeds });
    const parts = await Promise.all(Array.from({ length: workers }, (_, index) => runWorker(entry, share(index), threads)));
    // process.cpuUsage() covers every thread of the process: measured here, once.
    const used = process.cpuUsage(cpu);
    return { ...merge(parts), ms: Date.now() - start, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    // A failed worker leaves the others nothing to report to: they stop with it.
    await Promise.all(threads.map((t) => t.terminate()));
    rmSync(out, { recursive: true, force: true });
  }
}

/** Transpiles a module and the relative imports it reaches into `out`, keeping the folder layout; returns the entry's path. */
function compile(entry: string, out: string): string {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const target = join(out, relative(SRC, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
    for (const m of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) visit(`${resolve(dirname(file), m[1] as string)}.ts`);
  };
  visit(entry);
  return join(out, relative(SRC, entry)).replace(/\.ts$/, '.js');
}

type Posted = Omit<FuzzReport, 'failures'> & { failures: [FuzzCategory, { count: number; examples: string[] }][] };

function runWorker(
  entry: string,
  workerData: { options: FuzzOptions; seeds: readonly FuzzSeed[] },
  threads: Worker[],
): Promise<FuzzReport> {
  return new Promise((done, fail) => {
    const worker = new Worker(entry, { workerData, env: { ...process.env, NODE_PATH: NODE_MODULES } });
    threads.push(worker);
    worker.once('message', (m: Posted | { error: string }) => {
      if ('error' in m) fail(new Error(`fuzz worker failed: ${m.error}`));
      else done({ ...m, failures: new Map(m.failures) });
    });
    worker.once('error', fail);
  });
}

/** One report of several workers' (failures in case order of each worker, examples of the first). */
function merge(parts: readonly FuzzReport[]): FuzzReport {
  const failures = new Map<FuzzCategory, { count: number; examples: string[] }>();
  for (const p of parts)
    for (const [category, f] of p.failures) {
      const entry = failures.get(category) ?? { count: 0, examples: [] };
      failures.set(category, { count: entry.count + f.count, examples: [...entry.examples, ...f.examples].slice(0, 3) });
    }
  const sum = (f: (p: FuzzReport) => number) => parts.reduce((a, p) => a + f(p), 0);
  return {
    cases: sum((p) => p.cases),
    valid: sum((p) => p.valid),
    invalid: sum((p) => p.invalid),
    synthesized: {
      valid: sum((p) => p.synthesized.valid),
      invalid: sum((p) => p.synthesized.invalid),
      escaped: sum((p) => p.synthesized.escaped),
    },
    ms: 0,
    cpuMs: 0,
    failures,
  };
}
