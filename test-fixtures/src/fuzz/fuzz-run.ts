import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic, loadPlans, type Diagnostic, type LoadResult } from '@kops-iam/core';
import { chance } from '../prng';
import { fuzzCase, type FuzzCase, type FuzzSeed } from './fuzz-case';
import { synthCheck } from './synth-check';

const TEMPLATE_SYNTAX = /[$%]\{|[#&]\{TfToken\[|@@kops-iam-ref/;

/** What the fuzz test guards; each failure belongs to one. */
export type FuzzCategory = 'internal' | 'diagnostics' | 'interpolation' | 'literal' | 'invalid-output' | 'stderr';

/** How many inputs, which seed, and how often a case also goes through `kops-iam synth`. */
export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  /** Probability that a valid input is also synthesized through the CLI. */
  readonly synthValid: number;
  /** The same for a valid input whose plan holds template syntax (`${`, `%{`, a cdktf marker): the escaping is then at stake. */
  readonly synthTemplate: number;
  /** Probability that an invalid input is also run through `kops-iam synth` (which must write nothing). */
  readonly synthInvalid: number;
  /** Only this case (replay). */
  readonly only?: number;
  /** Only the cases n with n % of === index (one worker's share). */
  readonly part?: { readonly index: number; readonly of: number };
}

/** What a run found. */
export interface FuzzReport {
  readonly cases: number;
  readonly valid: number;
  readonly invalid: number;
  /** Runs through `kops-iam synth`, and how many of the valid ones wrote escaped template syntax. */
  readonly synthesized: { valid: number; invalid: number; escaped: number };
  readonly ms: number;
  /** CPU time of this process (user + system), which other processes on the machine do not inflate. */
  readonly cpuMs: number;
  readonly failures: Map<FuzzCategory, { count: number; examples: string[] }>;
}

/** Runs the fuzz loop: every case through loadPlans in-process, a fraction through the CLI as well. */
export async function runFuzz(seeds: readonly FuzzSeed[], options: FuzzOptions): Promise<FuzzReport> {
  const start = Date.now();
  const cpu = process.cpuUsage();
  const work = mkdtempSync(join(tmpdir(), 'kops-iam-fuzz-'));
  const report: FuzzReport = {
    cases: 0,
    valid: 0,
    invalid: 0,
    synthesized: { valid: 0, invalid: 0, escaped: 0 },
    ms: 0,
    cpuMs: 0,
    failures: new Map(),
  };
  const first = options.only ?? 0;
  const end = options.only === undefined ? options.cases : options.only + 1;
  try {
    const step = options.part?.of ?? 1;
    for (let n = first + (options.part?.index ?? 0); n < end; n += step) {
      const c = fuzzCase(seeds, options.seed, n);
      const problems = await checkCase(c, options, work, report);
      for (const [category, message] of problems) addFailure(report, category, describe(c, options.seed, message));
      (report as { cases: number }).cases += 1;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const used = process.cpuUsage(cpu);
  return { ...report, ms: Date.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

async function checkCase(c: FuzzCase, options: FuzzOptions, work: string, report: FuzzReport): Promise<[FuzzCategory, string][]> {
  let result: LoadResult;
  try {
    result = await loadPlans(c.files, { featureFlags: c.flags });
  } catch (e) {
    return [['internal', `loadPlans threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`]];
  }
  const r = report as { valid: number; invalid: number; synthesized: { valid: number; invalid: number; escaped: number } };
  if (result.ok) r.valid += 1;
  else r.invalid += 1;
  const problems = diagnosticProblems(c, result).map((p): [FuzzCategory, string] => ['diagnostics', p]);
  const template = result.ok && TEMPLATE_SYNTAX.test(JSON.stringify(result.clusters.map((x) => x.plan)));
  if (chance(c.r, template ? options.synthTemplate : result.ok ? options.synthValid : options.synthInvalid)) {
    if (result.ok) r.synthesized.valid += 1;
    else r.synthesized.invalid += 1;
    const synth = await synthCheck(c, result, work);
    if (synth.escaped) r.synthesized.escaped += 1;
    problems.push(...synth.problems);
  }
  return problems;
}

/** Every diagnostic has a code, a severity, a place in one of the files, and fits on one line; ok means no error. */
function diagnosticProblems(c: FuzzCase, result: LoadResult): string[] {
  const out: string[] = [];
  const lines = new Map(c.files.map((f) => [f.name, f.text.split('\n').length + 1]));
  for (const d of result.diagnostics) {
    const line = formatDiagnostic(d);
    const bad = diagnosticShape(d, lines);
    if (bad !== undefined) out.push(`${bad}: ${JSON.stringify(line.slice(0, 400))}`);
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (result.ok !== (errors === 0)) out.push(`ok is ${result.ok} with ${errors} errors`);
  if (!result.ok && errors === 0) out.push('not ok without an error');
  return out;
}

function diagnosticShape(d: Diagnostic, lines: ReadonlyMap<string, number>): string | undefined {
  if (!/^KI\d{3}$/.test(d.code)) return `code ${JSON.stringify(d.code)}`;
  if (d.severity !== 'error' && d.severity !== 'warning') return `severity ${JSON.stringify(d.severity)}`;
  const max = lines.get(d.file);
  if (max === undefined) return `file ${JSON.stringify(d.file)} is not an input`;
  if (!(d.line >= 1 && d.line <= max && d.col >= 1)) return `position ${d.line}:${d.col} outside the file (${max - 1} lines)`;
  if (d.message.trim() === '') return 'an empty message';
  if (/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/.test(`${d.path}${d.message}`))
    return 'a raw line break or control character in the path or message (the diagnostic does not stay one line)';
  return undefined;
}

function addFailure(report: FuzzReport, category: FuzzCategory, message: string): void {
  const entry = report.failures.get(category) ?? { count: 0, examples: [] };
  entry.count += 1;
  if (entry.examples.length < 3) entry.examples.push(message);
  report.failures.set(category, entry);
}

/** A failure with how to replay it and the input (shortened). */
function describe(c: FuzzCase, seed: number, message: string): string {
  const input = c.files.map((f) => `--- ${f.name}\n${f.text.length > 3000 ? `${f.text.slice(0, 3000)}…` : f.text}`).join('\n');
  const replay = `KOPS_IAM_FUZZ_SEED=${seed} KOPS_IAM_FUZZ_CASE=${c.n}`;
  return `case ${c.n} (seed ${seed}; replay: ${replay}) ${c.what}; flags ${JSON.stringify(c.flags)}: ${message}\n${input}`;
}
