import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from 'kops-iam';
import { compareFacts, type Comparison } from './compare';
import { expectedFacts, isRecord, kopsIamFacts, type IamFacts } from './facts';

/** The vendored kops reference cases (see kops-reference/README.md and NOTICE). */
export const REFERENCE_DIR = join(__dirname, '..', '..', 'kops-reference', 'cases');

/** One reference case: kops' manifest and kops' IAM for it. */
export interface ReferenceCase {
  readonly name: string;
  /** kops' in-v1alpha2.yaml, unchanged. */
  readonly manifest: string;
  /** The Cluster's metadata.name: the stack compared. */
  readonly cluster: string | undefined;
  /** KOPS_FEATURE_FLAGS for the run; '' for none. */
  readonly featureFlags: string;
  readonly facts: IamFacts;
}

interface ExpectedJson {
  readonly cluster?: string;
  readonly featureFlags?: string;
  readonly iam?: Partial<IamFacts>;
}

export function loadReferenceCase(name: string): ReferenceCase {
  const dir = join(REFERENCE_DIR, name);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as ExpectedJson;
  if (!isRecord(expected.iam)) throw new Error(`${name}/expected.json: no "iam" object`);
  return {
    name,
    manifest: readFileSync(join(dir, 'input.yaml'), 'utf8'),
    cluster: expected.cluster,
    featureFlags: expected.featureFlags ?? '',
    facts: expectedFacts(expected.iam),
  };
}

/** Every reference case, in name order. */
export function listReferenceCases(): ReferenceCase[] {
  return readdirSync(REFERENCE_DIR)
    .filter((name) => statSync(join(REFERENCE_DIR, name)).isDirectory())
    .sort()
    .map(loadReferenceCase);
}

/** What `kops-iam synth` gave for a case: its exit status, stderr, and the case's stack. */
export interface SynthRun {
  readonly exitCode: number;
  readonly stderr: string;
  readonly stack: Record<string, unknown> | undefined;
}

/** kops' tests keep the state store in memory (memfs://); kops-iam gets an S3 store in its place. */
export function kopsIamInput(manifest: string): string {
  return manifest.split('memfs://').join('s3://placeholder-bucket/');
}

async function* once(text: string): AsyncIterable<string> {
  yield text;
}

/** Runs `kops-iam synth -` in-process on the case's manifest (fed as standard input) and reads its stack. */
export async function synthReference(c: ReferenceCase): Promise<SynthRun> {
  const tmp = mkdtempSync(join(tmpdir(), `kops-parity-${c.name}-`));
  let stderr = '';
  try {
    const exitCode = await run(['synth', '-', '--out', 'out'], {
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      interactive: false,
      env: c.featureFlags === '' ? {} : { KOPS_FEATURE_FLAGS: c.featureFlags },
      cwd: tmp,
      stdin: once(kopsIamInput(c.manifest)),
    });
    return { exitCode, stderr, stack: exitCode === 0 ? readStack(join(tmp, 'out', 'stacks'), c.cluster) : undefined };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The stack named after the cluster, else the first one. */
function readStack(stacks: string, cluster: string | undefined): Record<string, unknown> | undefined {
  if (!existsSync(stacks)) return undefined;
  const names = readdirSync(stacks).sort();
  const pick = names.find((n) => n === cluster) ?? names[0];
  return pick === undefined ? undefined : (JSON.parse(readFileSync(join(stacks, pick, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>);
}

/** kops-iam's stack `region` output (what region expressions resolve to), else its provider's region. */
function regionOf(stack: Record<string, unknown>): string | undefined {
  const output = isRecord(stack.output) && isRecord(stack.output.region) ? stack.output.region.value : undefined;
  if (typeof output === 'string') return output;
  const provider = isRecord(stack.provider) ? stack.provider.aws : undefined;
  const first: unknown = Array.isArray(provider) ? provider[0] : provider;
  return isRecord(first) && typeof first.region === 'string' ? first.region : undefined;
}

/** Compares a case's synth run with kops' facts (given, so a test can change them). */
export function compareRun(facts: IamFacts, r: SynthRun): Comparison {
  if (r.exitCode !== 0 || r.stack === undefined) {
    return { differences: [`kops-iam rejected the manifest (exit ${r.exitCode}):`, ...r.stderr.trimEnd().split('\n')], notes: [] };
  }
  return compareFacts(facts, kopsIamFacts(r.stack), regionOf(r.stack));
}

/** A comparison as the text a failing test shows. */
export function formatComparison(name: string, c: Comparison): string {
  const count = c.differences.filter((d) => !d.startsWith(' ')).length;
  return [`${name}: ${count} difference(s) from kops' own IAM:`, ...c.differences.map((d) => `  ${d}`)].join('\n');
}
