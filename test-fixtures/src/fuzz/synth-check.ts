import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from '@kops-iam/core';
import { runCli } from '../cases';
import { stackProblems } from '../stack-oracle';
import { evaluateStackText } from '../terraform-stack-eval';
import type { FuzzCase } from './fuzz-case';
import type { FuzzCategory } from './fuzz-run';

const DIAGNOSTIC = /^[^:\n]+:\d+:\d+: (error|warning): [^\n]*$/;
const SUMMARY = /^kops-iam: \d+ errors?; nothing written$/;

/**
 * Runs `kops-iam synth` (in-process) on a case, into an output folder whose parent does
 * not exist yet, and checks: an exit status of 0, 1 or 2 that agrees with loadPlans; stderr
 * of diagnostics only; nothing created on invalid input; on success, every written string a
 * valid template with only kops-iam's references and escapes, and every stack exactly its plan.
 */
/** The problems of a synth run, and whether a written stack holds escaped template syntax (the escaping was exercised). */
export interface SynthOutcome {
  readonly problems: [FuzzCategory, string][];
  readonly escaped: boolean;
}

export async function synthCheck(c: FuzzCase, result: LoadResult, work: string): Promise<SynthOutcome> {
  const dir = join(work, `case-${c.n}`);
  mkdirSync(dir, { recursive: true });
  try {
    for (const f of c.files) writeFileSync(join(dir, f.name), f.text);
    const out = join(dir, 'parent', 'out');
    let run: Awaited<ReturnType<typeof runCli>>;
    try {
      run = await runCli(['synth', ...c.files.map((f) => f.name), '--out', out], dir, c.flags);
    } catch (e) {
      return {
        problems: [['internal', `kops-iam synth threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`]],
        escaped: false,
      };
    }
    const problems: [FuzzCategory, string][] = [];
    if (![0, 1, 2].includes(run.exitCode)) problems.push(['internal', `exit status ${run.exitCode}: ${run.stderr.slice(0, 1000)}`]);
    else if (run.exitCode !== (result.ok ? 0 : 1))
      problems.push(['internal', `exit status ${run.exitCode} where loadPlans says ok=${result.ok}: ${run.stderr.slice(0, 1000)}`]);
    const bad = run.stderr.split('\n').find((l) => l !== '' && !DIAGNOSTIC.test(l) && !SUMMARY.test(l));
    if (bad !== undefined) problems.push(['stderr', `a stderr line that is no diagnostic: ${JSON.stringify(bad.slice(0, 300))}`]);
    if (run.exitCode !== 0 && existsSync(join(dir, 'parent')))
      problems.push(['invalid-output', `exit ${run.exitCode} created the output folder or its parent`]);
    const written = run.exitCode === 0 ? writtenProblems(out, result) : { problems: [], escaped: false };
    return { problems: [...problems, ...written.problems], escaped: written.escaped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writtenProblems(out: string, result: LoadResult): SynthOutcome {
  const problems: [FuzzCategory, string][] = [];
  let escaped = false;
  for (const { plan } of result.clusters) {
    const path = join(out, 'stacks', plan.cluster, 'cdk.tf.json');
    if (!existsSync(path)) {
      problems.push(['literal', `no stack written for ${plan.cluster}`]);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    escaped ||= /\$\$\{|%%\{|\$\{\\"[${]\\"\}/.test(text);
    const stack = evaluateStackText(text);
    problems.push(...stack.problems.map((p): [FuzzCategory, string] => ['interpolation', `${plan.cluster}: ${p}`]));
    problems.push(
      ...stackProblems({ ...stack, problems: [] }, plan).map((p): [FuzzCategory, string] => ['literal', `${plan.cluster}: ${p}`]),
    );
  }
  return { problems, escaped };
}
