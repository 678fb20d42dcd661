// Terraform itself judges the goldens: every valid case's stacks pass `terraform validate`,
// and the stacks without data sources pass `terraform plan` (offline, fake credentials)
// with one create per resource in the JSON. Needs terraform and an offline provider mirror;
// without them the suite says so and skips, it never passes silently.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases, readTree, type GoldenCase } from '../src/cases';
import { inParallel, OfflineTerraform, terraformSetup, type StackResult } from '../src/terraform';

/** A valid case's stacks, as its golden holds them. */
interface CaseStacks {
  readonly name: string;
  readonly stacks: { readonly name: string; readonly json: string }[];
}

function validCaseStacks(): CaseStacks[] {
  return listCases()
    .filter((c: GoldenCase) => {
      const f = join(c.dir, 'expected', 'exit-code');
      return existsSync(f) && readFileSync(f, 'utf8').trim() === '0';
    })
    .map((c) => {
      const out = readTree(join(c.dir, 'expected', 'out'));
      const stacks = [...out]
        .map(([path, json]) => ({ m: /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path), json }))
        .filter((s): s is { m: RegExpExecArray; json: string } => s.m !== null)
        .map((s) => ({ name: s.m[1] as string, json: s.json }));
      return { name: c.name, stacks };
    });
}

/** Resource addresses in a stack's JSON: `type.name`. */
function resourceAddresses(json: string): string[] {
  const doc = JSON.parse(json) as { resource?: Record<string, Record<string, unknown>> };
  return Object.entries(doc.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

/** A copy of a stack whose first role lacks its required trust policy. */
function brokenStack(json: string): string {
  const doc = JSON.parse(json) as { resource: { aws_iam_role: Record<string, Record<string, unknown>> } };
  const first = Object.values(doc.resource.aws_iam_role)[0];
  if (first !== undefined) delete first.assume_role_policy;
  return JSON.stringify(doc);
}

const setup = terraformSetup();
const cases = validCaseStacks();

if (!setup.ok) {
  console.warn(`SKIPPED terraform validate/plan of ${cases.length} golden cases: ${setup.reason}`);
  describe('terraform validate and plan', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
} else {
  describe('terraform validate and plan of every valid golden case', () => {
    const results = new Map<string, StackResult[]>();
    let failure: unknown;
    let seconds = 0;
    let tf: OfflineTerraform | undefined;
    // A stack terraform must reject, to show the check can fail.
    let broken: StackResult | undefined;

    beforeAll(async () => {
      const started = Date.now();
      tf = new OfflineTerraform(setup);
      const first = cases.flatMap((c) => c.stacks)[0];
      if (first === undefined) return;
      try {
        await tf.init(first.json);
        const jobs = cases.flatMap((c) => c.stacks.map((s) => ({ c, s })));
        const done = await inParallel(jobs, 2, ({ c, s }) => (tf as OfflineTerraform).check(`${c.name}-${s.name}`, s.json));
        for (const [i, { c }] of jobs.entries()) results.set(c.name, [...(results.get(c.name) ?? []), done[i] as StackResult]);
        broken = await (tf as OfflineTerraform).check('harness-broken', brokenStack(first.json));
      } catch (e) {
        failure = e;
      }
      seconds = (Date.now() - started) / 1000;
    }, 600_000);

    afterAll(() => {
      tf?.dispose();
      const all = [...results.values()];
      const stacks = all.flat();
      const validated = all.filter((r) => r.length > 0 && r.every((s) => s.validate.valid)).length;
      const planned = all.filter((r) => r.length > 0 && r.every((s) => s.plan?.ok === true)).length;
      console.log(
        `terraform (${setup.binary}, mirror ${setup.mirror}): ${validated} fixtures validated (${stacks.filter((s) => s.validate.valid).length} stacks), ` +
          `${planned} fixtures planned (${stacks.filter((s) => s.plan?.ok === true).length} stacks; ${stacks.filter((s) => s.notPlanned !== undefined).length} stacks with data sources validate only), in ${seconds.toFixed(1)} s`,
      );
    });

    it('has valid cases with stacks', () => {
      expect(failure).toBeUndefined();
      expect(cases.length).toBeGreaterThan(0);
      expect(cases.every((c) => c.stacks.length > 0)).toBe(true);
    });

    it('fails a stack that terraform rejects (a role without assume_role_policy)', () => {
      expect(broken?.validate.valid).toBe(false);
      expect(broken?.validate.diagnostics.join('\n')).toMatch(/assume_role_policy/);
    });

    for (const c of cases) {
      it(c.name, () => {
        expect(failure).toBeUndefined();
        const stackResults = results.get(c.name) ?? [];
        expect(stackResults.map((r) => r.stack)).toEqual(c.stacks.map((s) => `${c.name}-${s.name}`));
        for (const [i, r] of stackResults.entries()) {
          const s = c.stacks[i] as { name: string; json: string };
          expect(r.validate.diagnostics, `${r.stack}: terraform validate`).toEqual([]);
          expect(r.validate.valid, `${r.stack}: terraform validate`).toBe(true);
          if (r.plan === undefined) {
            // Only data sources excuse a stack from planning.
            expect(r.notPlanned, `${r.stack}: why not planned`).toMatch(/^data sources/);
            continue;
          }
          expect(r.plan.errors, `${r.stack}: terraform plan`).toEqual([]);
          const expected = resourceAddresses(s.json);
          expect(r.plan.add, `${r.stack}: resources to add`).toBe(expected.length);
          expect(r.plan.addresses, `${r.stack}: planned creates`).toEqual(expected);
        }
      });
    }
  });
}
