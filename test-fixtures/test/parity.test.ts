// Parity with kops: for each of kops' own AWS integration clusters (vendored under
// kops-reference/, see its NOTICE), kops-iam's IAM equals what kops writes for the same
// manifest, compared as the shared kops-reference README describes (src/parity/).
import { beforeAll, describe, expect, it } from 'vitest';
import type { IamFacts } from '../src/parity/facts';
import {
  compareRun,
  formatComparison,
  listReferenceCases,
  loadReferenceCase,
  synthReference,
  type SynthRun,
} from '../src/parity/reference';

const cases = listReferenceCases();

describe('parity with kops (kops-reference cases)', () => {
  it('has the 47 vendored cases', () => {
    expect(cases.length).toBe(47);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const comparison = compareRun(c.facts, await synthReference(c));
      expect(comparison.differences, formatComparison(c.name, comparison)).toEqual([]);
    });
  }
});

/** kops' facts with lists a test may change. */
type EditableFacts = { -readonly [K in keyof IamFacts]: IamFacts[K][number][] };

/** A deep copy of kops' facts, changed by `change`. */
function mutated(facts: IamFacts, change: (f: EditableFacts) => void): IamFacts {
  const copy = structuredClone(facts) as EditableFacts;
  change(copy);
  return copy;
}

describe('the parity comparison can fail', () => {
  // externalpolicies: masters and nodes with inline policies, attachments and cloud labels.
  const c = loadReferenceCase('externalpolicies');
  let run: SynthRun;
  beforeAll(async () => {
    run = await synthReference(c);
  });

  it('passes unchanged', () => {
    expect(compareRun(c.facts, run).differences).toEqual([]);
  });

  it('reports a grant kops does not have (one dropped from kops’ policy)', () => {
    const facts = mutated(c.facts, (f) => {
      const doc = f.policies.find((p) => p.name.startsWith('masters.'))!.doc as { Statement: { Action: string | string[] }[] };
      const st = doc.Statement.find((s) => Array.isArray(s.Action) && s.Action.includes('ec2:DescribeInstances'))!;
      st.Action = (st.Action as string[]).filter((a) => a !== 'ec2:DescribeInstances');
    });
    const d = compareRun(facts, run).differences;
    expect(d.some((l) => /^masters: grants: .* 0 missing, 1 extra$/.test(l))).toBe(true);
    expect(d).toContain('    extra in kops-iam:   Allow *: ec2:describeinstances');
  });

  it('reports a role name that differs', () => {
    const facts = mutated(c.facts, (f) => {
      const nodes = f.roles.find((r) => r.name.startsWith('nodes.'))!;
      f.roles[f.roles.indexOf(nodes)] = { ...nodes, name: 'nodes.renamed.example.com' };
    });
    expect(compareRun(facts, run).differences).toContain(
      'nodes: role name: kops nodes.renamed.example.com, kops-iam nodes.externalpolicies.example.com',
    );
  });

  it('reports an attachment kops-iam does not make', () => {
    const facts = mutated(c.facts, (f) => {
      const masters = f.roles.find((r) => r.name.startsWith('masters.'))!;
      f.attachments.push({ role: { res: masters.res }, arn: 'arn:aws-test:iam::123456789000:policy/another-policy' });
    });
    expect(compareRun(facts, run).differences).toContain('masters: attachments only in kops: arn:P:iam::ACCOUNT:policy/another-policy');
  });

  it('reports a missing role, a trust change and a missing boundary', () => {
    const facts = mutated(c.facts, (f) => {
      const masters = f.roles.find((r) => r.name.startsWith('masters.'))!;
      f.roles[f.roles.indexOf(masters)] = { ...masters, boundary: 'arn:aws-test:iam::123456789000:policy/boundary' };
      f.roles.push({ ...masters, res: 'bastions-x', name: 'bastions.externalpolicies.example.com' });
    });
    const d = compareRun(facts, run).differences;
    expect(d).toContain('masters: permissions boundary: kops arn:P:iam::ACCOUNT:policy/boundary, kops-iam (none)');
    expect(d.some((l) => l.startsWith('bastions: MISSING in kops-iam: role bastions.externalpolicies.example.com'))).toBe(true);
  });
});
