import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { attribute, planRoot, planSummary, validateRoot, type Diagnostic, type StackInput } from './terraform-batch';

export type { StackInput } from './terraform-batch';

/** The provider every stack requires, as the mirror lays it out. */
const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** Where terraform and an offline copy of the AWS provider are, or why the checks cannot run. */
export type TerraformSetup =
  { readonly ok: true; readonly binary: string; readonly mirror: string } | { readonly ok: false; readonly reason: string };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The terraform binary: `KOPS_IAM_TERRAFORM` when set (and only it), else the first on PATH, else /usr/local/bin/terraform. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const onPath = (env.PATH ?? '').split(delimiter).map((d) => (d === '' ? undefined : join(d, 'terraform')));
  const candidates = env.KOPS_IAM_TERRAFORM !== undefined ? [env.KOPS_IAM_TERRAFORM] : [...onPath, '/usr/local/bin/terraform'];
  return candidates.find((c): c is string => c !== undefined && executable(c));
}

/**
 * A filesystem mirror holding hashicorp/aws 5.x or 6.x in unpacked layout
 * (`<mirror>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`):
 * `KOPS_IAM_TF_MIRROR` when set (and only it), else /opt/tf-plugins.
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.KOPS_IAM_TF_MIRROR !== undefined ? [env.KOPS_IAM_TF_MIRROR] : ['/opt/tf-plugins'];
  return candidates.find((dir): dir is string => {
    if (dir === undefined || !existsSync(join(dir, AWS_PROVIDER))) return false;
    return readdirSync(join(dir, AWS_PROVIDER)).some((v) => /^[56]\./.test(v));
  });
}

/** Finds terraform and the provider mirror; says what is missing otherwise. */
export function terraformSetup(env: NodeJS.ProcessEnv = process.env): TerraformSetup {
  const binary = findTerraform(env);
  if (binary === undefined) {
    const why =
      env.KOPS_IAM_TERRAFORM !== undefined
        ? `KOPS_IAM_TERRAFORM=${env.KOPS_IAM_TERRAFORM} is not executable`
        : 'not on PATH, not at /usr/local/bin/terraform; set KOPS_IAM_TERRAFORM';
    return { ok: false, reason: `no terraform binary (${why})` };
  }
  const mirror = findProviderMirror(env);
  if (mirror === undefined)
    return {
      ok: false,
      reason: `no offline mirror of ${AWS_PROVIDER} 5.x/6.x at ${env.KOPS_IAM_TF_MIRROR ?? '/opt/tf-plugins'} (set KOPS_IAM_TF_MIRROR)`,
    };
  return { ok: true, binary, mirror };
}

/** The CLI configuration that installs the AWS provider from the mirror and nothing from the network. */
export function cliConfig(mirror: string): string {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = [${JSON.stringify(AWS_PROVIDER)}]
  }
}
`;
}

/** The output of one terraform command. */
export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The result of validating (and, where offline allows, planning) one stack. */
export interface StackResult {
  readonly stack: string;
  readonly validate: { readonly valid: boolean; readonly diagnostics: readonly string[] };
  /** Absent for stacks that cannot be planned offline. */
  readonly plan?: { readonly ok: boolean; readonly add: number; readonly addresses: readonly string[]; readonly errors: readonly string[] };
  /** Why the stack was not planned. */
  readonly notPlanned?: string;
}

/** What checking a batch of stacks gave, and how long each step took (seconds). */
export interface BatchResult {
  readonly results: readonly StackResult[];
  readonly seconds: { readonly init: number; readonly validate: number; readonly plan: number };
}

/**
 * Runs terraform offline on many stacks at once: every stack is a module of one root
 * (`terraform init` and `terraform validate` once for all), and the stacks without data
 * sources or import blocks are modules of a second root that `terraform plan` plans at
 * once. Diagnostics are given back to the stack whose file they point into.
 */
export class OfflineTerraform {
  private readonly root = mkdtempSync(join(tmpdir(), 'kops-iam-tf-'));
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly setup: { readonly binary: string; readonly mirror: string }) {
    const config = join(this.root, 'terraform.rc');
    writeFileSync(config, cliConfig(setup.mirror));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: config,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    };
    // A plugin cache would copy the 600+ MB provider; a mirror in unpacked layout is linked instead.
    delete env.TF_PLUGIN_CACHE_DIR;
    for (const k of Object.keys(env)) if (k.startsWith('TF_VAR_') || k.startsWith('TF_CLI_ARGS')) delete env[k];
    this.env = env;
  }

  /** Runs terraform in a folder. */
  run(cwd: string, args: readonly string[]): Promise<TerraformRun> {
    return new Promise((resolve) => {
      execFile(this.setup.binary, args, { cwd, env: this.env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
        resolve({ code, stdout, stderr });
      });
    });
  }

  private async init(dir: string): Promise<void> {
    const r = await this.run(dir, ['init', '-backend=false', '-input=false', '-no-color']);
    if (r.code !== 0) throw new Error(`terraform init failed in ${dir}:\n${r.stdout}${r.stderr}`);
  }

  /** Validates every stack and plans those offline allows. */
  async check(stacks: readonly StackInput[]): Promise<BatchResult> {
    const t0 = Date.now();
    const vdir = join(this.root, 'validate');
    mkdirSync(vdir);
    const v = validateRoot(vdir, stacks);
    await this.init(vdir);
    const t1 = Date.now();
    const validate = await this.run(vdir, ['validate', '-json', '-no-color']);
    const parsed = parseJson(validate.stdout) as { diagnostics?: Diagnostic[] } | undefined;
    const diagnostics =
      parsed === undefined
        ? [{ severity: 'error', summary: `terraform validate gave no JSON: ${validate.stderr}` }]
        : (parsed.diagnostics ?? []);
    const byStack = attribute(diagnostics, v.lineOwners, stacks.length);
    const t2 = Date.now();
    const plannable = stacks.flatMap((s, i) => (v.notPlanned[i] === undefined && byStack[i]?.length === 0 ? [i] : []));
    const plans = new Map<number, NonNullable<StackResult['plan']>>();
    if (plannable.length > 0) {
      const pdir = join(this.root, 'plan');
      mkdirSync(pdir);
      const p = planRoot(pdir, stacks, plannable);
      await this.init(pdir);
      const run = await this.run(pdir, ['plan', '-refresh=false', '-input=false', '-lock=false', '-json', '-no-color']);
      for (const [i, summary] of planSummary(run, p.lineOwners, plannable)) plans.set(i, summary);
    }
    const t3 = Date.now();
    const results = stacks.map((s, i): StackResult => {
      const errors = byStack[i] ?? [];
      const plan = plans.get(i);
      const why = v.notPlanned[i] ?? (errors.length > 0 ? 'terraform validate failed' : undefined);
      return {
        stack: s.name,
        validate: { valid: errors.length === 0, diagnostics: errors },
        ...(plan !== undefined ? { plan } : { notPlanned: why ?? 'not planned' }),
      };
    });
    return { results, seconds: { init: (t1 - t0) / 1000, validate: (t2 - t1) / 1000, plan: (t3 - t2) / 1000 } };
  }

  /** Removes every temporary folder. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
