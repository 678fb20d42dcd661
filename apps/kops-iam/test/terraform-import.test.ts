// Terraform itself judges the import blocks: a legacy and a strict (IRSA + OIDC provider)
// stack synthesized with importExisting pass `terraform validate`, and `terraform test`
// plans them against a mocked AWS provider, which evaluates every import ID (the OIDC
// provider's through data.aws_caller_identity) and checks every import target. Needs
// terraform ≥ 1.7 (mock providers) and an offline mirror of hashicorp/aws; without them
// the suite says so and counts a skipped test, it never passes silently.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackSynthesizer } from '../src/stack-json';
import { instanceGroup, irsaSpec, legacyCluster, planOf, strictCluster, yamlStream } from './manifests';

const AWS = 'registry.terraform.io/hashicorp/aws';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** terraform (KOPS_IAM_TERRAFORM, else PATH) and the provider mirror (KOPS_IAM_TF_MIRROR, else /opt/tf-plugins), as the goldens' test. */
function setup(): { binary: string; mirror: string } | { reason: string } {
  const env = process.env;
  const binaries =
    env.KOPS_IAM_TERRAFORM !== undefined
      ? [env.KOPS_IAM_TERRAFORM]
      : [...(env.PATH ?? '').split(delimiter).map((d) => join(d, 'terraform')), '/usr/local/bin/terraform'];
  const binary = binaries.find((b) => b !== '' && executable(b));
  if (binary === undefined) return { reason: 'no terraform binary (set KOPS_IAM_TERRAFORM)' };
  const version = (JSON.parse(execFileSync(binary, ['version', '-json'], { encoding: 'utf8' })) as { terraform_version: string })
    .terraform_version;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 1 || (major === 1 && minor < 7)) return { reason: `terraform ${version} has no mock providers (1.7 or later needed)` };
  const mirror = env.KOPS_IAM_TF_MIRROR ?? '/opt/tf-plugins';
  if (!existsSync(join(mirror, AWS)) || !readdirSync(join(mirror, AWS)).some((v) => /^[56]\./.test(v))) {
    return { reason: `no offline mirror of ${AWS} 5.x/6.x at ${mirror} (set KOPS_IAM_TF_MIRROR)` };
  }
  return { binary, mirror };
}

interface Run {
  readonly code: number;
  readonly output: string;
}

/** Terraform in throw-away folders that share one `init` (its .terraform links into the mirror). */
class Terraform {
  readonly root = mkdtempSync(join(tmpdir(), 'kops-iam-tf-import-'));
  private readonly env: NodeJS.ProcessEnv;
  private template = '';

  constructor(
    private readonly binary: string,
    mirror: string,
  ) {
    const config = join(this.root, 'terraform.tfrc');
    writeFileSync(
      config,
      `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["${AWS}"]\n  }\n}\n`,
    );
    this.env = { ...process.env, TF_CLI_CONFIG_FILE: config, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    delete this.env.TF_PLUGIN_CACHE_DIR;
    for (const k of Object.keys(this.env)) if (k.startsWith('TF_VAR_')) delete this.env[k];
  }

  run(cwd: string, args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(this.binary, [...args, '-no-color'], { cwd, env: this.env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, output: `${stdout}${stderr}` });
      });
    });
  }

  async init(stack: string): Promise<void> {
    this.template = join(this.root, 'template');
    mkdirSync(this.template);
    writeFileSync(join(this.template, 'cdk.tf.json'), stack);
    const r = await this.run(this.template, ['init', '-backend=false', '-input=false']);
    if (r.code !== 0) throw new Error(`terraform init failed:\n${r.output}`);
  }

  /** `terraform validate`, then `terraform test` with a mocked provider that plans the stack. */
  async check(name: string, stack: string): Promise<{ validate: Run; test: Run }> {
    const dir = join(this.root, name);
    mkdirSync(join(dir, 'tests'), { recursive: true });
    writeFileSync(join(dir, 'cdk.tf.json'), stack);
    cpSync(join(this.template, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
    cpSync(join(this.template, '.terraform'), join(dir, '.terraform'), { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(dir, 'tests', 'imports.tftest.hcl'), mockedPlan(stack));
    const validate = await this.run(dir, ['validate']);
    return { validate, test: await this.run(dir, ['test']) };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * A `terraform test` file that plans the stack with a mocked AWS provider. Mocked providers
 * cannot import, so every resource gets an `override_resource`: Terraform still evaluates
 * each import block (its ID must be known while planning, its target must exist).
 */
function mockedPlan(stack: string): string {
  const json = JSON.parse(stack) as { resource?: Record<string, Record<string, unknown>>; variable?: Record<string, unknown> };
  const overrides = Object.entries(json.resource ?? {}).flatMap(([type, byLabel]) =>
    Object.keys(byLabel).map((label) => `  override_resource {\n    target = ${type}.${label}\n  }\n`),
  );
  const variables = json.variable?.hosted_zone_id !== undefined ? 'variables {\n  hosted_zone_id = "Z1D633PJN98FT9"\n}\n' : '';
  const mock = 'mock_provider "aws" {\n  mock_data "aws_caller_identity" {\n    defaults = { account_id = "123456789012" }\n  }\n}\n';
  return `${mock}${variables}run "plan_with_imports" {\n  command = plan\n${overrides.join('')}}\n`;
}

/** The stack with two broken import blocks: one to an address no resource has, one with an ID unknown until apply. */
function brokenImports(stack: string): string {
  const json = JSON.parse(stack) as { import: { id: string; to: string }[] };
  json.import[0]!.to = 'aws_iam_role.nothing-here';
  json.import[1]!.id = '${uuid()}';
  return JSON.stringify(json);
}

/** Runs jobs two at a time (terraform runs are heavy), results in input order. */
async function twoAtATime<T, R>(items: readonly T[], job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 2) results.push(...(await Promise.all(items.slice(i, i + 2).map(job))));
  return results;
}

const found = setup();

if ('reason' in found) {
  console.warn(`SKIPPED terraform validate/test of import stacks: ${found.reason}`);
  describe('import blocks under terraform', () => {
    it.skip(`skipped: ${found.reason}`, () => {});
  });
} else {
  describe('import blocks under terraform', () => {
    const tf = new Terraform(found.binary, found.mirror);
    const outdir = join(tf.root, 'cdktf');
    const results = new Map<string, { validate: Run; test: Run }>();
    const stacks = new Map<string, string>();

    beforeAll(async () => {
      mkdirSync(outdir);
      const ig = instanceGroup('c.example.com', 'm', 'Master', '  iam:\n    profile: arn:aws:iam::123456789012:instance-profile/shared');
      const groups = [ig, instanceGroup('c.example.com', 'n', 'Node'), instanceGroup('c.example.com', 'b', 'Bastion')];
      const legacy = yamlStream(legacyCluster('c.example.com', '  topology:\n    bastion: {}'), ...groups);
      const synth = new StackSynthesizer(outdir, { importExisting: true });
      stacks.set('legacy', synth.synthesize(await planOf(legacy)));
      stacks.set('strict-irsa', synth.synthesize(await planOf(strictCluster('123.example.com', irsaSpec()))));
      const strict = stacks.get('strict-irsa')!;
      stacks.set('broken', brokenImports(strict)); // the harness must fail it
      await tf.init(strict);
      const done = await twoAtATime([...stacks.keys()], (name) => tf.check(name, stacks.get(name)!));
      for (const [i, name] of [...stacks.keys()].entries()) results.set(name, done[i]!);
    }, 300_000);

    afterAll(() => tf.dispose());

    for (const name of ['legacy', 'strict-irsa']) {
      it(`${name}: terraform validate passes and a mocked plan evaluates every import`, () => {
        const stack = JSON.parse(stacks.get(name)!) as { import: unknown[]; data?: unknown };
        expect(stack.import.length).toBe(name === 'legacy' ? 6 : 12);
        const r = results.get(name)!;
        expect(r.validate.output).toContain('Success! The configuration is valid.');
        expect(r.validate.code).toBe(0);
        expect(r.test.output).toMatch(/run "plan_with_imports"\.\.\. pass/);
        expect(r.test.code).toBe(0);
      });
    }

    it('fails an import of a missing address and an import ID unknown while planning (the plan does, validate does not)', () => {
      const r = results.get('broken')!;
      expect(r.validate.code).toBe(0);
      expect(r.test.code).not.toBe(0);
      expect(r.test.output).toMatch(/Configuration for import target does not exist/);
      expect(r.test.output).toMatch(/Invalid import id argument/);
    });
  });
}
