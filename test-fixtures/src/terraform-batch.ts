import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_ZONE_VARIABLE_VALUE } from './test-world';

/**
 * The layout of a batch of stacks for one Terraform run: each stack is a module
 * (`stacks/s_<i>/cdk.tf.json`) of a generated root `main.tf.json`. Import blocks are only
 * allowed in a root module, so a stack's imports move to the root with `to` prefixed by
 * the stack's module address, and provider configurations move there too (see writeBatch);
 * each sits on a line of its own, so that a diagnostic about it goes back to its stack.
 */

/** A stack to check: a name for messages and its Terraform JSON. */
export interface StackInput {
  readonly name: string;
  readonly json: string;
}

/** A diagnostic of `terraform validate -json` / `plan -json`. */
export interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename?: string; readonly start?: { readonly line?: number } };
}

type Json = Record<string, unknown>;

const moduleName = (i: number) => `s_${i}`;

/** Module arguments for a stack's variables: the test zone for `hosted_zone_id`; any other variable without a default is an error. */
function variableArguments(name: string, doc: Json): Json {
  const args: Json = {};
  for (const [variable, decl] of Object.entries((doc.variable ?? {}) as Record<string, Json>)) {
    if (decl.default !== undefined) continue;
    if (variable !== 'hosted_zone_id') throw new Error(`${name}: no test value for variable ${variable}`);
    args.hosted_zone_id = TEST_ZONE_VARIABLE_VALUE;
  }
  return args;
}

/** Writes a root module: its blocks, one per line, then the hoisted imports one per line; returns which stack owns each line. */
function writeRoot(dir: string, blocks: Json, imports: readonly { owner: number; block: Json }[]): Map<number, number> {
  const lines = ['{'];
  const owners = new Map<number, number>();
  const entries = Object.entries(blocks);
  entries.forEach(([key, value], k) =>
    lines.push(`${JSON.stringify(key)}: ${JSON.stringify(value)}${k < entries.length - 1 || imports.length > 0 ? ',' : ''}`),
  );
  if (imports.length > 0) {
    lines.push('"import": [');
    imports.forEach(({ owner, block }, k) => {
      lines.push(`${JSON.stringify(block)}${k < imports.length - 1 ? ',' : ''}`);
      owners.set(lines.length, owner);
    });
    lines.push(']');
  }
  lines.push('}');
  writeFileSync(join(dir, 'main.tf.json'), `${lines.join('\n')}\n`);
  return owners;
}

/** Credentials and skips that let the AWS provider plan with no account and no network (kops' us-test-1 is no real region). */
const FAKE_PROVIDER = {
  access_key: 'AKIAKOPSIAMTESTFAKE0',
  secret_key: 'kops-iam-test-fake-secret',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

/**
 * Writes stacks as modules of a root. Each stack's provider configuration moves to the
 * root as an aliased configuration that the module receives, shared by stacks whose
 * configurations are equal: Terraform starts one provider process per configuration, so
 * this is one AWS provider per region rather than one per stack. `plan` adds fake
 * credentials to each configuration and leaves import blocks out (the stacks with imports are not planned).
 */
function writeBatch(dir: string, stacks: readonly StackInput[], indices: readonly number[], plan: boolean): Map<number, number> {
  const modules: Json = {};
  const aliases = new Map<string, string>();
  const imports: { owner: number; block: Json }[] = [];
  for (const i of indices) {
    const s = stacks[i] as StackInput;
    const { provider, import: own, ...doc } = JSON.parse(s.json) as Json & { provider?: { aws?: Json[] }; import?: Json[] };
    if ((provider?.aws ?? []).length > 1) throw new Error(`${s.name}: more than one aws provider configuration`);
    const config = JSON.stringify(provider?.aws?.[0] ?? {});
    if (!aliases.has(config)) aliases.set(config, `p${aliases.size}`);
    mkdirSync(join(dir, 'stacks', moduleName(i)), { recursive: true });
    writeFileSync(join(dir, 'stacks', moduleName(i), 'cdk.tf.json'), JSON.stringify(doc));
    modules[moduleName(i)] = {
      source: `./stacks/${moduleName(i)}`,
      providers: { aws: `aws.${aliases.get(config)}` },
      ...variableArguments(s.name, doc),
    };
    if (!plan)
      for (const block of own ?? []) imports.push({ owner: i, block: { ...block, to: `module.${moduleName(i)}.${String(block.to)}` } });
  }
  const providers = [...aliases].map(([config, alias]) => ({ ...(JSON.parse(config) as Json), ...(plan ? FAKE_PROVIDER : {}), alias }));
  return writeRoot(dir, { provider: { aws: providers }, module: modules }, imports);
}

/** Every stack as a module of the validation root; says which stacks offline planning must skip and why. */
export function validateRoot(
  dir: string,
  stacks: readonly StackInput[],
): { lineOwners: Map<number, number>; notPlanned: (string | undefined)[] } {
  const lineOwners = writeBatch(
    dir,
    stacks,
    stacks.map((_s, i) => i),
    false,
  );
  const notPlanned = stacks.map((s) => {
    const doc = JSON.parse(s.json) as Json & { import?: Json[] };
    const data = Object.keys((doc.data ?? {}) as Json);
    if (data.length > 0) return `data sources (${data.join(', ')}) need AWS`;
    if ((doc.import ?? []).length > 0) return 'import blocks need AWS (terraform reads the objects to import)';
    return undefined;
  });
  return { lineOwners, notPlanned };
}

/** The plannable stacks as modules of the planning root, with fake credentials. */
export function planRoot(dir: string, stacks: readonly StackInput[], indices: readonly number[]): { lineOwners: Map<number, number> } {
  return { lineOwners: writeBatch(dir, stacks, indices, true) };
}

function text(d: Diagnostic): string {
  const message = `${d.severity}: ${d.summary}${d.detail ? ` (${d.detail})` : ''}`;
  return message.length > 600 ? `${message.slice(0, 600)}…` : message;
}

/** The stack a diagnostic is about: by the file or module address it names, or by the root line of a hoisted import. */
function ownerOf(d: Diagnostic, lineOwners: ReadonlyMap<number, number>): number | undefined {
  const m = /^stacks\/s_(\d+)\//.exec(d.range?.filename ?? '') ?? /^module\.s_(\d+)\./.exec(d.address ?? '');
  if (m !== null) return Number(m[1]);
  if (d.range?.filename === 'main.tf.json') return lineOwners.get(d.range.start?.line ?? -1);
  return undefined;
}

/** Diagnostics per stack; one no stack owns goes to every stack (it is the batch's). */
export function attribute(diagnostics: readonly Diagnostic[], lineOwners: ReadonlyMap<number, number>, count: number): string[][] {
  const out: string[][] = Array.from({ length: count }, () => []);
  for (const d of diagnostics) {
    const owner = ownerOf(d, lineOwners);
    if (owner !== undefined && out[owner] !== undefined) out[owner].push(text(d));
    else for (const list of out) list.push(`(batch) ${text(d)}`);
  }
  return out;
}

interface PlanLine {
  type?: string;
  '@level'?: string;
  '@message'?: string;
  changes?: { add?: number };
  change?: { action?: string; resource?: { addr?: string } };
  diagnostic?: Diagnostic;
}

/** Reads `terraform plan -json` of the planning root: each stack's planned creates, and errors by stack. */
export function planSummary(
  run: { code: number; stdout: string; stderr: string },
  lineOwners: ReadonlyMap<number, number>,
  indices: readonly number[],
): Map<number, { ok: boolean; add: number; addresses: string[]; errors: string[] }> {
  const out = new Map(indices.map((i) => [i, { ok: false, add: 0, addresses: [] as string[], errors: [] as string[] }]));
  let total = -1;
  for (const line of run.stdout.split('\n')) {
    let msg: PlanLine;
    try {
      msg = JSON.parse(line) as PlanLine;
    } catch {
      continue;
    }
    if (msg.type === 'change_summary') total = msg.changes?.add ?? -1;
    const addr = /^module\.s_(\d+)\.(.+)$/.exec(msg.change?.resource?.addr ?? '');
    if (msg.type === 'planned_change' && addr !== null) {
      const stack = out.get(Number(addr[1]));
      if (msg.change?.action === 'create') stack?.addresses.push(addr[2] as string);
      else stack?.errors.push(`planned ${String(msg.change?.action)} of ${addr[2]}, expected create`);
    }
    if (msg['@level'] === 'error') {
      const d = msg.diagnostic ?? { severity: 'error', summary: msg['@message'] ?? '' };
      const owner = ownerOf(d, lineOwners);
      for (const [i, s] of out) if (owner === undefined || owner === i) s.errors.push(`${owner === undefined ? '(batch) ' : ''}${text(d)}`);
    }
  }
  const planned = [...out.values()].reduce((n, s) => n + s.addresses.length, 0);
  if (run.code !== 0 && [...out.values()].every((s) => s.errors.length === 0))
    for (const s of out.values()) s.errors.push(`(batch) terraform plan exited ${run.code}: ${run.stderr}`);
  if (run.code === 0 && total !== planned)
    for (const s of out.values()) s.errors.push(`(batch) plan summary adds ${total}, planned creates ${planned}`);
  for (const s of out.values()) {
    s.addresses.sort();
    s.add = s.addresses.length;
    s.ok = run.code === 0 && s.errors.length === 0;
  }
  return out;
}
