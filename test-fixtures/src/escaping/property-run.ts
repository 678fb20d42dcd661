import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlans, type IamPlan } from '@kops-iam/core';
import { runCli } from '../cases';
import { hasTemplateSyntax, jsonQuoted } from '../hostile-strings';
import { prng } from '../prng';
import { stackProblems } from '../stack-oracle';
import { evaluateStackText, type EvaluatedStack } from '../terraform-stack-eval';
import { defaultSlots, legacyManifest, strictManifest } from './manifests';
import { FIELDS, valuesOf } from './fields-more';
import type { Field } from './fields';

/** One value in one field: its own cluster in its own file. */
export interface Sample {
  readonly field: Field;
  readonly value: string;
  readonly file: string;
  readonly cluster: string;
  readonly text: string;
}

/** What the property found, sorted by what it guards. */
export interface PropertyOutcome {
  readonly samples: readonly Sample[];
  readonly accepted: readonly Sample[];
  readonly rejected: readonly Sample[];
  /** Accepted values that did not come out literally (field checks and the plan oracle). */
  readonly notLiteral: string[];
  /** Written strings that are no valid template or hold interpolations kops-iam never writes. */
  readonly interpolations: string[];
  /** Rejections that were not a clean error: exit status, output written, stderr format, where. */
  readonly unclean: string[];
  /** Every written stack, evaluated, with its raw text. */
  readonly stacks: ReadonlyMap<string, { text: string; stack: EvaluatedStack }>;
}

export const FEATURE_FLAGS = '+CustomPoliciesSupport';
const DIAGNOSTIC = /^([^:\n]+):(\d+):(\d+): (error|warning): ([^\n]*)$/;
const SUMMARY = /^kops-iam: \d+ errors?; nothing written$/;

/** Every field × (its fixed values and `perField` random ones), each in a cluster and file of its own. */
export function buildSamples(seed: number, perField: number): Sample[] {
  const r = prng(seed);
  let n = 0;
  return FIELDS.flatMap((field) =>
    valuesOf(field, r, perField).map((value) => {
      const slots = field.slots(value, defaultSlots(`e${n}.example.com`));
      n += 1;
      const text = field.legacy === true ? legacyManifest(slots) : strictManifest(slots);
      return { field, value, file: `e${n - 1}.yaml`, cluster: slots.name, text };
    }),
  );
}

/**
 * Runs the property: synth of every sample at once (through the CLI, in-process); the
 * files with errors are the rejected values (the run must exit 1 and write nothing, each
 * error a one-line diagnostic); then synth of the accepted ones, whose stacks are checked.
 */
export async function runProperty(samples: readonly Sample[]): Promise<PropertyOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'kops-iam-escaping-'));
  try {
    for (const s of samples) writeFileSync(join(dir, s.file), s.text);
    const unclean: string[] = [];
    const first = await runCli(['synth', ...samples.map((s) => s.file), '--out', 'out-all'], dir, FEATURE_FLAGS);
    const errorFiles = classify(first, existsSync(join(dir, 'out-all')), unclean);
    const accepted = samples.filter((s) => !errorFiles.has(s.file));
    const rejected = samples.filter((s) => errorFiles.has(s.file));
    for (const s of rejected) unclean.push(...rejectionProblems(s, first.stderr));
    const outcome: PropertyOutcome = { samples, accepted, rejected, notLiteral: [], interpolations: [], unclean, stacks: new Map() };
    if (accepted.length === 0) return outcome;
    let outDir = join(dir, 'out-all');
    if (first.exitCode !== 0) {
      const second = await runCli(['synth', ...accepted.map((s) => s.file), '--out', 'out-accepted'], dir, FEATURE_FLAGS);
      if (second.exitCode !== 0)
        outcome.unclean.push(`synth of the accepted files exited ${second.exitCode}: ${second.stderr.slice(0, 2000)}`);
      outDir = join(dir, 'out-accepted');
    }
    await checkStacks(outDir, accepted, outcome);
    return outcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The files named by error lines; problems of the run as a whole. */
function classify(run: { exitCode: number; stderr: string }, wrote: boolean, problems: string[]): Set<string> {
  const files = new Set<string>();
  if (run.exitCode !== 0 && run.exitCode !== 1) problems.push(`synth exited ${run.exitCode}: ${run.stderr.slice(0, 2000)}`);
  if (run.exitCode === 1 && wrote) problems.push('synth exited 1 but created its output folder');
  for (const line of run.stderr.split('\n').filter((l) => l !== '')) {
    const m = DIAGNOSTIC.exec(line);
    if (m !== null && m[4] === 'error') files.add(m[1] as string);
    else if (m === null && !SUMMARY.test(line)) problems.push(`a stderr line that is no diagnostic: ${JSON.stringify(line.slice(0, 300))}`);
  }
  return files;
}

/** A rejected value must get an error line at the line that holds it, and every line of its file's stderr must be a diagnostic. */
function rejectionProblems(s: Sample, stderr: string): string[] {
  const out: string[] = [];
  const quoted = jsonQuoted(s.value);
  const lines = s.text.split('\n');
  const valueLines = lines.flatMap((l, i) => (l.includes(quoted) ? [i + 1] : []));
  const mine = stderr.split('\n').filter((l) => l.startsWith(`${s.file}:`));
  const errors = mine.map((l) => DIAGNOSTIC.exec(l)).filter((m): m is RegExpExecArray => m !== null && m[4] === 'error');
  if (!errors.some((m) => valueLines.includes(Number(m[2]))))
    out.push(
      `${s.field.name}: ${JSON.stringify(s.value)} rejected, but no error at line ${valueLines.join('/')}: ` +
        mine.join(' | ').slice(0, 600),
    );
  for (const m of errors) {
    const message = m[5] as string;
    if (/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/.test(message))
      out.push(
        `${s.field.name}: an error message holds a raw control character or line break (only tab may stay raw): ` +
          JSON.stringify(message.slice(0, 300)),
      );
  }
  return out;
}

/** Evaluates each accepted sample's stack: literal field value, plan oracle, interpolations. */
async function checkStacks(outDir: string, accepted: readonly Sample[], outcome: PropertyOutcome): Promise<void> {
  const plans = new Map<string, IamPlan>();
  const loaded = await loadPlans(
    accepted.map((s) => ({ name: s.file, text: s.text })),
    { featureFlags: FEATURE_FLAGS },
  );
  for (const c of loaded.clusters) plans.set(c.plan.cluster, c.plan);
  for (const s of accepted) {
    const path = join(outDir, 'stacks', s.cluster, 'cdk.tf.json');
    if (!existsSync(path)) {
      outcome.notLiteral.push(`${s.field.name}: ${JSON.stringify(s.value)} accepted but no stack ${s.cluster} written`);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    const stack = evaluateStackText(text);
    (outcome.stacks as Map<string, { text: string; stack: EvaluatedStack }>).set(s.cluster, { text, stack });
    const where = `${s.field.name} = ${JSON.stringify(s.value)}`;
    outcome.interpolations.push(...stack.problems.map((p) => `${where}: ${p}`));
    outcome.notLiteral.push(...s.field.check(s.value, stack).map((p) => `${where}: ${p}`));
    const plan = plans.get(s.cluster);
    if (plan === undefined) outcome.notLiteral.push(`${where}: loadPlans has no plan for ${s.cluster}`);
    else outcome.notLiteral.push(...stackProblems({ ...stack, problems: [] }, plan).map((p) => `${where}: ${p}`));
  }
}

/** Per field: values accepted, accepted with template syntax, rejected. */
export function fieldCounts(outcome: PropertyOutcome): Map<string, { accepted: number; template: number; rejected: number }> {
  const counts = new Map(FIELDS.map((f) => [f.name, { accepted: 0, template: 0, rejected: 0 }]));
  for (const s of outcome.accepted) {
    const c = counts.get(s.field.name) as { accepted: number; template: number };
    c.accepted += 1;
    if (hasTemplateSyntax(s.value)) c.template += 1;
  }
  for (const s of outcome.rejected) (counts.get(s.field.name) as { rejected: number }).rejected += 1;
  return counts;
}
