import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTerraform } from './terraform';

/** What terraform made of a template: its value, or undefined when Terraform rejected it. */
export type TerraformValue = string | undefined;

const ERROR = '\u{F0002}error\u{F0003}';

/**
 * Evaluates templates with Terraform itself, in one `terraform console` run: the texts go
 * in through a JSON file (`jsondecode(file(…))` reads them without template evaluation),
 * each is rendered by `templatestring`, HCL's template parser, the one HCL's JSON syntax
 * uses for every string of a `.tf.json`. References resolve through `vars`, keyed by
 * traversal (`data.aws_route53_zone.x.zone_id` → its value). The result comes back
 * base64-encoded, so no console quoting is in the way.
 */
export async function evaluateWithTerraform(
  binary: string,
  templates: readonly string[],
  vars: ReadonlyMap<string, string>,
): Promise<TerraformValue[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kops-iam-tfeval-'));
  try {
    writeFileSync(join(dir, 'templates.json'), JSON.stringify(templates));
    // Each template gets only the references it names: one object per template, read without evaluation.
    writeFileSync(join(dir, 'vars.json'), JSON.stringify(templates.map((t) => nest(varsUsed(t, vars)))));
    writeFileSync(join(dir, 'empty.tfrc'), '');
    const locals = { templates: '${jsondecode(file("templates.json"))}', vars: '${jsondecode(file("vars.json"))}' };
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ locals }));
    const render = `try(templatestring(local.templates[i], local.vars[i]), "${ERROR}")`;
    const expr = `base64encode(jsonencode([for i, t in local.templates : ${render}]))`;
    const stdout = await runConsole(binary, dir, expr);
    const b64 = /"([A-Za-z0-9+/=]*)"/.exec(stdout)?.[1];
    if (b64 === undefined) throw new Error(`terraform console printed no result: ${stdout.slice(0, 500)}`);
    const values = JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as string[];
    if (values.length !== templates.length) throw new Error(`terraform returned ${values.length} values for ${templates.length} templates`);
    return values.map((v) => (v === ERROR ? undefined : v));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The references a template's text names (any dotted name that is a known traversal). */
function varsUsed(template: string, vars: ReadonlyMap<string, string>): Map<string, string> {
  const used = new Map<string, string>();
  for (const m of template.matchAll(/[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+/g)) {
    const value = vars.get(m[0]);
    if (value !== undefined) used.set(m[0], value);
  }
  return used;
}

/** The terraform binary, or why the cross-check cannot run. */
export function terraformForConsole(): { binary: string } | { reason: string } {
  const binary = findTerraform();
  return binary === undefined
    ? { reason: 'no terraform binary (not on PATH, not at /usr/local/bin/terraform; set KOPS_IAM_TERRAFORM)' }
    : { binary };
}

function runConsole(binary: string, dir: string, expr: string): Promise<string> {
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: join(dir, 'empty.tfrc') };
  return new Promise((resolve, reject) => {
    const child = execFile(binary, ['console'], { cwd: dir, env, maxBuffer: 1 << 28, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`terraform console failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(`${expr}\n`);
  });
}

type Tree = { [key: string]: Tree | string };

/** `a.b.c → v` as nested objects `{a: {b: {c: v}}}`. */
function nest(vars: ReadonlyMap<string, string>): Tree {
  const root: Tree = {};
  for (const [traversal, value] of vars) {
    const names = traversal.split('.');
    let node = root;
    names.slice(0, -1).forEach((n) => {
      const next = node[n];
      node = typeof next === 'object' ? next : (node[n] = {});
    });
    node[names[names.length - 1] as string] = value;
  }
  return root;
}
