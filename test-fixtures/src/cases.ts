import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run } from 'kops-iam';

/** The folder holding one folder per golden case. */
export const CASES_DIR = join(__dirname, '..', 'cases');

/** A golden case: its inputs and the feature flags it runs with. */
export interface GoldenCase {
  readonly name: string;
  readonly dir: string;
  /** Input files, relative to the case folder, in name order. */
  readonly inputs: readonly string[];
  /** `KOPS_FEATURE_FLAGS` for the run, from the case's `flags` file. */
  readonly featureFlags: string | undefined;
}

/** Every case under `cases/`, in name order. */
export function listCases(): GoldenCase[] {
  return readdirSync(CASES_DIR)
    .filter((name) => statSync(join(CASES_DIR, name)).isDirectory())
    .sort()
    .map((name) => loadCase(name));
}

/** One case by name. */
export function loadCase(name: string): GoldenCase {
  const dir = join(CASES_DIR, name);
  const inputs = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const flagsFile = join(dir, 'flags');
  const featureFlags = existsSync(flagsFile) ? readFileSync(flagsFile, 'utf8').trim() : undefined;
  return { name, dir, inputs, featureFlags };
}

/** What one run of the command gave: exit status, streams, and every file it wrote. */
export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Files written under the output folder, by path relative to it (`stacks/<c>/cdk.tf.json`). */
  readonly files: ReadonlyMap<string, string>;
}

/** Runs `kops-iam ARGS` in-process with the case folder as working directory. */
export async function runCli(
  argv: readonly string[],
  cwd: string,
  featureFlags?: string,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const exitCode = await run(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    interactive: false,
    env: featureFlags === undefined ? {} : { KOPS_FEATURE_FLAGS: featureFlags },
    cwd,
  });
  return { exitCode, stdout, stderr };
}

/** Runs `kops-iam synth` on a case into a fresh temporary folder and collects what it wrote. */
export async function synthCase(c: GoldenCase): Promise<RunResult> {
  const tmp = mkdtempSync(join(tmpdir(), `kops-iam-${c.name}-`));
  const out = join(tmp, 'out');
  try {
    const r = await runCli(['synth', ...c.inputs, '--out', out], c.dir, c.featureFlags);
    return { ...r, stdout: r.stdout.split(out).join('<out>'), files: readTree(out) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Every file under a folder, by relative path, sorted; empty when the folder does not exist. */
export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(root)) return files;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

/**
 * The policies of a synthesized stack, pretty-printed, by `<cluster>/<policy name>.json`:
 * the form a reviewer reads a policy change in.
 */
export function policiesOf(files: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, text] of files) {
    const m = /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path);
    if (m === null) continue;
    const json = JSON.parse(text) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
    for (const [type, field] of [
      ['aws_iam_role_policy', 'policy'],
      ['aws_iam_role', 'assume_role_policy'],
    ] as const) {
      for (const res of Object.values(json.resource?.[type] ?? {})) {
        const name = String(res.name);
        const suffix = type === 'aws_iam_role' ? '.assume-role' : '';
        out.set(`${m[1]}/${name}${suffix}.json`, `${JSON.stringify(JSON.parse(String(res[field])), null, 2)}\n`);
      }
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}
