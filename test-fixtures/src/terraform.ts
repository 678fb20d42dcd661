import { execFile } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { TEST_ZONE_VARIABLE_VALUE } from './test-world';

/** The provider every stack requires, as the mirror lays it out. */
const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** Where terraform and an offline copy of the AWS provider are, or why the checks cannot run. */
export type TerraformSetup = { readonly ok: true; readonly binary: string; readonly mirror: string } | { readonly ok: false; readonly reason: string };

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
  const candidates = env.KOPS_IAM_TERRAFORM !== undefined ? [env.KOPS_IAM_TERRAFORM] : [...(env.PATH ?? '').split(delimiter).map((d) => (d === '' ? undefined : join(d, 'terraform'))), '/usr/local/bin/terraform'];
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
  if (binary === undefined) return { ok: false, reason: `no terraform binary (${env.KOPS_IAM_TERRAFORM !== undefined ? `KOPS_IAM_TERRAFORM=${env.KOPS_IAM_TERRAFORM} is not executable` : 'not on PATH, not at /usr/local/bin/terraform; set KOPS_IAM_TERRAFORM'})` };
  const mirror = findProviderMirror(env);
  if (mirror === undefined) return { ok: false, reason: `no offline mirror of ${AWS_PROVIDER} 5.x/6.x at ${env.KOPS_IAM_TF_MIRROR ?? '/opt/tf-plugins'} (set KOPS_IAM_TF_MIRROR)` };
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

/** The result of validating (and, without data sources, planning) one stack. */
export interface StackResult {
  readonly stack: string;
  readonly validate: { readonly valid: boolean; readonly diagnostics: readonly string[] };
  /** Absent for stacks with data sources, which cannot be planned offline. */
  readonly plan?: { readonly ok: boolean; readonly add: number; readonly addresses: readonly string[]; readonly errors: readonly string[] };
  /** Why the stack was not planned. */
  readonly notPlanned?: string;
}

/**
 * Runs terraform offline on Terraform JSON files: one `init` into a template folder,
 * whose `.terraform` (links into the mirror) and lock file each stack's folder copies.
 */
export class OfflineTerraform {
  private readonly root = mkdtempSync(join(tmpdir(), 'kops-iam-tf-'));
  private readonly env: NodeJS.ProcessEnv;
  private template: string | undefined;

  constructor(private readonly setup: { readonly binary: string; readonly mirror: string }) {
    const config = join(this.root, 'terraform.tfrc');
    writeFileSync(config, cliConfig(setup.mirror));
    const env: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: config, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    // A plugin cache would copy the 600+ MB provider; a mirror in unpacked layout is linked instead.
    delete env.TF_PLUGIN_CACHE_DIR;
    for (const k of Object.keys(env)) if (k.startsWith('TF_VAR_')) delete env[k];
    this.env = env;
  }

  /** Runs terraform in a folder. */
  run(cwd: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<TerraformRun> {
    return new Promise((resolve) => {
      execFile(this.setup.binary, args, { cwd, env: { ...this.env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** `terraform init` once, on the first stack, into the template folder. */
  async init(stackJson: string): Promise<void> {
    const dir = join(this.root, 'template');
    mkdirSync(dir);
    writeFileSync(join(dir, 'cdk.tf.json'), stackJson);
    const r = await this.run(dir, ['init', '-backend=false', '-input=false', '-no-color']);
    if (r.code !== 0) throw new Error(`terraform init failed:\n${r.stdout}${r.stderr}`);
    this.template = dir;
  }

  /** A fresh folder holding the stack and the template's provider installation. */
  private workspace(name: string, stackJson: string): string {
    if (this.template === undefined) throw new Error('init first');
    const dir = mkdtempSync(join(this.root, `${name.replace(/[^A-Za-z0-9.-]/g, '_')}-`));
    writeFileSync(join(dir, 'cdk.tf.json'), stackJson);
    cpSync(join(this.template, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
    cpSync(join(this.template, '.terraform'), join(dir, '.terraform'), { recursive: true, verbatimSymlinks: true });
    return dir;
  }

  /** Validates a stack and, when it has no data sources, plans it with fake credentials. */
  async check(name: string, stackJson: string): Promise<StackResult> {
    const dir = this.workspace(name, stackJson);
    const validate = await this.run(dir, ['validate', '-json', '-no-color']);
    const v = parseJson(validate.stdout) as { valid?: boolean; diagnostics?: { severity: string; summary: string; detail?: string }[] } | undefined;
    const result: { -readonly [K in keyof StackResult]: StackResult[K] } = {
      stack: name,
      validate: {
        valid: v?.valid === true && validate.code === 0,
        diagnostics: (v?.diagnostics ?? []).map((d) => `${d.severity}: ${d.summary}${d.detail ? ` (${d.detail})` : ''}`).concat(v === undefined ? [validate.stderr || validate.stdout] : []),
      },
    };
    const json = JSON.parse(stackJson) as { data?: Record<string, unknown>; variable?: Record<string, { default?: unknown }>; provider?: { aws?: { region?: string }[] } };
    if (json.data !== undefined && Object.keys(json.data).length > 0) {
      result.notPlanned = `data sources (${Object.keys(json.data).join(', ')}) need AWS`;
      return result;
    }
    const vars: NodeJS.ProcessEnv = {};
    for (const [variable, decl] of Object.entries(json.variable ?? {})) {
      if (decl.default !== undefined) continue;
      if (variable !== 'hosted_zone_id') throw new Error(`${name}: no test value for variable ${variable}`);
      vars.TF_VAR_hosted_zone_id = TEST_ZONE_VARIABLE_VALUE;
    }
    writeFileSync(join(dir, '_override.tf.json'), `${JSON.stringify(fakeProviderOverride(), null, 2)}\n`);
    const plan = await this.run(dir, ['plan', '-refresh=false', '-input=false', '-lock=false', '-json'], vars);
    result.plan = planSummary(plan);
    return result;
  }

  /** Removes every temporary folder. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Credentials and skips that let the AWS provider plan with no account and no network. */
function fakeProviderOverride(): unknown {
  return {
    provider: {
      aws: {
        access_key: 'AKIAKOPSIAMTESTFAKE0',
        secret_key: 'kops-iam-test-fake-secret',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
      },
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads `terraform plan -json`'s machine-readable lines: the change summary, each planned create, errors. */
function planSummary(run: TerraformRun): NonNullable<StackResult['plan']> {
  let add = -1;
  const addresses: string[] = [];
  const errors: string[] = [];
  for (const line of run.stdout.split('\n')) {
    const msg = parseJson(line) as
      | { type?: string; '@level'?: string; '@message'?: string; changes?: { add?: number }; change?: { action?: string; resource?: { addr?: string } }; diagnostic?: { summary?: string; detail?: string } }
      | undefined;
    if (msg === undefined) continue;
    if (msg.type === 'change_summary') add = msg.changes?.add ?? -1;
    if (msg.type === 'planned_change' && msg.change?.action === 'create' && msg.change.resource?.addr !== undefined) addresses.push(msg.change.resource.addr);
    if (msg['@level'] === 'error') errors.push(`${msg.diagnostic?.summary ?? msg['@message'] ?? ''}${msg.diagnostic?.detail ? `: ${msg.diagnostic.detail}` : ''}`);
  }
  if (run.code !== 0 && errors.length === 0) errors.push(run.stderr || `terraform plan exited ${run.code}`);
  return { ok: run.code === 0 && add >= 0, add, addresses: addresses.sort(), errors };
}

/** Runs jobs with at most `limit` at a time, results in input order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
