// A seeded fuzz test: the valid golden cases' inputs, mutated thousands of ways, run
// through `kops-iam synth` in-process. Whatever the input, a run must end with exit 0 and
// the complete new output, or exit 1, a diagnostic per line on stderr and the previous
// output untouched. The seed is fixed, so a failure names a case that can be replayed.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCases, readTree, runCli } from '../src/cases';

/** How many mutated inputs are run. */
const CASES = Number(process.env.KOPS_IAM_FUZZ_CASES ?? 3000);
/** The fixed seed; KOPS_IAM_FUZZ_SEED explores other cases by hand (CI never sets it). */
const SEED = Number(process.env.KOPS_IAM_FUZZ_SEED ?? 0x6b6f7073); // "kops"

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; the same seed gives the same cases everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, items.length)] as T;

/** Characters that mean something to YAML or JSON, and some that mean trouble to a parser. */
const SPECIAL = [':', ': ', '-', '- ', '{', '}', '[', ']', '"', "'", ',', '&a ', '*a', '!!str ', '!!binary ', '#', '|', '>', '%', '@', '`', '\\', '\n', '\n---\n', '\t', '?', '<<: *a', '\u0000', '\ufffd', '\u0007', 'é', '${', '%{', '\r\n'];
/** Scalars of other types, and other values people write. */
const SCALARS = ['123', '-1.5e3', 'true', 'no', 'null', '~', '[]', '{}', '""', "''", '[a, b]', '{a: 1}', '"x"', '&x y', '*x', '|\n  text', 'x'.repeat(300), '0x1F', '2024-01-01', '.inf', '__proto__'];
/** Words that change the meaning of a spec: the fields, roles and values the checks care about. */
const WORDS = [
  'Allow', 'Deny', 'allow', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'Condition', 'Sid', 'Effect',
  'ec2:*', 'ec2:DescribeInstancez', 'ec3:Describe*', 's3:Get*', '*', 'arn:aws-cn:s3:::b/*', 'StringEqual',
  'master', 'node', 'nodes', 'bastion', 'Master', 'Node', 'Bastion', 'ControlPlane', 'Worker',
  'eu-west-1a', 'us-east-1b', 'cn-north-1a', 'us-gov-west-1a', 'mars-1a',
  's3://bucket/path', 'gs://bucket/path', 'memfs://x', 'Z1234567890', 'example.com', 'a.k8s.local',
  'Cluster', 'InstanceGroup', 'kops.k8s.io/v1alpha2', 'kops/v1alpha1', 'v1',
  'additionalPolicies', 'customPolicies', 'additionalpolicies', 'cloudProvider', 'gce', 'aws',
  'encryptedVolume', 'kmsKeyId', 'alias/etcd', 'true', 'false', 'arn:aws:iam::123456789012:role/r', 'arn:aws:iam::1:role/r',
];

interface Input {
  readonly files: ReadonlyMap<string, string>;
  readonly flags: string | undefined;
}

/** One mutation of a text; returns the new text. */
type Mutation = (r: Random, text: string) => string;

const linesOf = (text: string) => text.split('\n');

/** Lines inside a JSON block of additionalPolicies: after `: |` and indented deeper. */
function jsonLines(lines: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const m = /^(\s*)\S.*: [|>][-+0-9]*\s*$/.exec(lines[i] ?? '');
    if (m === null) continue;
    const indent = (m[1] ?? '').length;
    for (let j = i + 1; j < lines.length && ((lines[j] ?? '').trim() === '' || (lines[j] ?? '').search(/\S/) > indent); j += 1) out.push(j);
  }
  return out;
}

const MUTATIONS: readonly [string, Mutation][] = [
  ['delete a line', (r, t) => { const l = linesOf(t); l.splice(int(r, l.length), 1); return l.join('\n'); }],
  ['duplicate a line', (r, t) => { const l = linesOf(t); const i = int(r, l.length); l.splice(i, 0, l[i] ?? ''); return l.join('\n'); }],
  ['swap two lines', (r, t) => { const l = linesOf(t); const i = int(r, l.length); const j = int(r, l.length); [l[i], l[j]] = [l[j] ?? '', l[i] ?? '']; return l.join('\n'); }],
  ['change indentation', (r, t) => {
    const l = linesOf(t);
    const i = int(r, l.length);
    const line = l[i] ?? '';
    const shift = pick(r, [-4, -2, -1, 1, 2, 3, 6]);
    l[i] = r() < 0.1 ? `\t${line.trimStart()}` : shift < 0 ? line.replace(new RegExp(`^ {0,${-shift}}`), '') : ' '.repeat(shift) + line;
    return l.join('\n');
  }],
  ['flip a character', (r, t) => { const i = int(r, t.length); return t.slice(0, i) + String.fromCharCode(32 + int(r, 95)) + t.slice(i + 1); }],
  ['truncate', (r, t) => t.slice(0, int(r, t.length))],
  ['insert a special character', (r, t) => { const i = int(r, t.length + 1); return t.slice(0, i) + pick(r, SPECIAL) + t.slice(i); }],
  ['replace a scalar with another type', (r, t) => {
    const l = linesOf(t);
    const candidates = l.map((line, i) => (/^\s*-?\s*[\w."/-]+: \S/.test(line) ? i : -1)).filter((i) => i !== -1);
    if (candidates.length === 0) return t;
    const i = pick(r, candidates);
    l[i] = (l[i] ?? '').replace(/: .*$/, `: ${pick(r, SCALARS)}`);
    return l.join('\n');
  }],
  ['replace a word', (r, t) => {
    const words = [...t.matchAll(/[A-Za-z][\w.:/*-]*/g)];
    if (words.length === 0) return t;
    const w = pick(r, words);
    const at = w.index ?? 0;
    return t.slice(0, at) + pick(r, WORDS) + t.slice(at + w[0].length);
  }],
  ['break the JSON of additionalPolicies', (r, t) => {
    const l = linesOf(t);
    const json = jsonLines(l);
    if (json.length === 0) return t;
    const i = pick(r, json);
    const line = l[i] ?? '';
    const how = int(r, 5);
    if (how === 0) l[i] = line.replace(/,(?=[^,]*$)/, '');
    else if (how === 1) l[i] = line.replace(/"/, '');
    else if (how === 2) l[i] = line.replace(/[}\]]/, '');
    else if (how === 3) l[i] = `${line},`;
    else l[i] = line.replace(/"(\w+)":/, (_m, k: string) => `"${pick(r, WORDS)}${k.length % 2 === 0 ? '' : 'x'}":`);
    return l.join('\n');
  }],
  ['deep nesting', (r, t) => { const d = pick(r, [10, 70, 500, 5000]); const i = int(r, t.length + 1); return `${t.slice(0, i)}${'['.repeat(d)}${']'.repeat(d)}${t.slice(i)}`; }],
  ['noise', (r, t) => { const i = int(r, t.length + 1); const n = Array.from({ length: 1 + int(r, 20) }, () => String.fromCharCode(int(r, 0x3000))).join(''); return t.slice(0, i) + n + t.slice(i); }],
];

/** Mutates one file of an input with one to three mutations; names what was done. */
function mutate(r: Random, input: Input): { input: Input; what: string } {
  const names = [...input.files.keys()];
  const file = pick(r, names);
  let text = input.files.get(file) ?? '';
  const done: string[] = [];
  for (let n = 1 + (r() < 0.3 ? 1 + int(r, 2) : 0); n > 0; n -= 1) {
    const [name, m] = pick(r, MUTATIONS);
    text = m(r, text);
    done.push(name);
  }
  const flags = r() < 0.1 ? pick(r, [undefined, '', '+CustomPoliciesSupport', '-CustomPoliciesSupport', 'customPoliciesSupport']) : input.flags;
  return { input: { files: new Map([...input.files, [file, text]]), flags }, what: `${file}: ${done.join(', ')}` };
}

/** The inputs of every valid golden case (those whose expected exit code is 0). */
function validInputs(): Input[] {
  return listCases()
    .filter((c) => !c.name.startsWith('error-'))
    .filter((c) => {
      try {
        return readFileSync(join(c.dir, 'expected', 'exit-code'), 'utf8').trim() === '0';
      } catch {
        return false;
      }
    })
    .map((c) => ({ files: new Map(c.inputs.map((f) => [f, readFileSync(join(c.dir, f), 'utf8')])), flags: c.featureFlags }));
}

const DIAGNOSTIC = /^[^:\n]+:\d+:\d+: (error|warning): .+$/;
const SUMMARY = /^kops-iam: \d+ errors?; nothing written$/;

describe('fuzz: mutated valid specs', () => {
  it(`${CASES} seeded mutations end in exit 0 with complete output or exit 1 with the old output, never a crash`, async () => {
    const seeds = validInputs();
    expect(seeds.length).toBeGreaterThan(0);
    const r = prng(SEED);
    // One folder for the whole run: inputs are rewritten in place, and the output folder
    // always holds the output of the last successful run, which a failed run must keep.
    const work = mkdtempSync(join(tmpdir(), 'kops-iam-fuzz-'));
    const inDir = join(work, 'in');
    const out = join(work, 'out');
    const writeInputs = (input: Input): string[] => {
      rmSync(inDir, { recursive: true, force: true });
      mkdirSync(inDir);
      for (const [name, text] of input.files) writeFileSync(join(inDir, name), text);
      return [...input.files.keys()];
    };
    const failures: string[] = [];
    const outcomes = { ok: 0, invalid: 0 };
    try {
      const first = seeds[0] as Input;
      const prepared = await runCli(['synth', ...writeInputs(first), '--out', out], inDir, first.flags);
      expect(prepared.exitCode, prepared.stderr).toBe(0);
      let previous = readTree(out);

      for (let n = 0; n < CASES; n += 1) {
        const { input, what } = mutate(r, pick(r, seeds));
        const files = writeInputs(input);
        let run: Awaited<ReturnType<typeof runCli>>;
        try {
          run = await runCli(['synth', ...files, '--out', out], inDir, input.flags);
        } catch (e) {
          // The CLI threw: a crash (the real command would print "internal error" and exit 70).
          failures.push(`case ${n} (${what}): threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          continue;
        }
        const problems: string[] = [];
        if (run.exitCode !== 0 && run.exitCode !== 1) problems.push(`exit code ${run.exitCode}`);
        if (/internal error|\n\s+at .+:\d+:\d+\)?/.test(run.stderr)) problems.push('stack trace or internal error on stderr');
        const lines = run.stderr.split('\n').filter((l) => l !== '');
        const bad = lines.find((l) => !DIAGNOSTIC.test(l) && !SUMMARY.test(l));
        if (bad !== undefined) problems.push(`stderr line not in the diagnostic format: ${JSON.stringify(bad.slice(0, 200))}`);
        const errors = lines.filter((l) => / error: /.test(l.replace(/^[^:]+:\d+:\d+:/, '')));
        const now = readTree(out);
        if (run.exitCode === 1) {
          outcomes.invalid += 1;
          if (errors.length === 0) problems.push('exit 1 without an error line');
          if (!lines.some((l) => SUMMARY.test(l))) problems.push('exit 1 without the summary line');
          const same = now.size === previous.size && [...previous].every(([p, t]) => now.get(p) === t);
          if (!same) problems.push('a failed run changed the previous output');
        } else if (run.exitCode === 0) {
          outcomes.ok += 1;
          if (errors.length > 0) problems.push('exit 0 with errors on stderr');
          const manifest = JSON.parse(now.get('manifest.json') ?? '{"stacks":{}}') as { stacks: Record<string, unknown> };
          const stacks = [...now.keys()].filter((p) => p.startsWith('stacks/'));
          if (stacks.length === 0 || stacks.length !== Object.keys(manifest.stacks).length) problems.push('output incomplete: stacks and manifest disagree');
          for (const p of stacks) {
            if (!p.endsWith('/cdk.tf.json')) problems.push(`unexpected file ${p}`);
            try {
              JSON.parse(now.get(p) ?? '');
            } catch {
              problems.push(`${p} is not JSON`);
            }
          }
          previous = now;
        }
        // Staging folders are renamed away or removed: nothing else may be left next to the output.
        const leftovers = readdirSync(work).filter((e) => e !== 'in' && e !== 'out');
        if (leftovers.length > 0) problems.push(`left behind: ${leftovers.join(', ')}`);
        if (problems.length > 0) failures.push(`case ${n} (${what}; flags ${JSON.stringify(input.flags)}): ${problems.join('; ')}\n${[...input.files].map(([f, t]) => `--- ${f}\n${t}`).join('\n')}`);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    if (process.env.KOPS_IAM_FUZZ_VERBOSE === '1') console.log(`fuzz: ${CASES} cases, ${outcomes.ok} exit 0, ${outcomes.invalid} exit 1, ${failures.length} failures`);
    expect(failures.slice(0, 5)).toEqual([]);
    // The mutations must exercise both outcomes, or the test proves little.
    expect(outcomes.invalid).toBeGreaterThan(CASES / 4);
    expect(outcomes.ok).toBeGreaterThan(CASES / 50);
  }, 300_000);
});
