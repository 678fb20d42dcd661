import { describe, expect, it } from 'vitest';
import { readExternalPolicies } from '../../src/cluster/external-policies';
import { partitionOf } from '../../src/cluster/partition';
import { clusterYaml, instanceGroupYaml, instanceRole, loadOne, specLines, warningsOf } from '../helpers';

function read(...lines: string[]) {
  const { spec, report } = specLines('  externalPolicies:', ...lines);
  const byRole = readExternalPolicies(spec, partitionOf('eu-central-1'), report);
  return { byRole, diagnostics: report.diagnostics.map((d) => [d.code, d.severity, d.path, d.message]) };
}

const P = (name: string) => `arn:aws:iam::123456789012:policy/${name}`;

describe('readExternalPolicies', () => {
  it("reads each role's managed policies, sorted as kops sorts them", () => {
    const r = read(
      '    master:',
      `    - ${P('b')}`,
      `    - ${P('a')}`,
      '    node:',
      '    - arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
    expect(r.diagnostics).toEqual([]);
    expect([...r.byRole.values()].map((e) => [e.role, e.arns, e.at.path])).toEqual([
      ['master', [P('a'), P('b')], 'spec.externalPolicies.master'],
      ['node', ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'], 'spec.externalPolicies.node'],
    ]);
  });

  it('ignores, with a warning, the keys kops accepts that have no IAM role', () => {
    const r = read('    etcd:', `    - ${P('a')}`, '    scheduler: []', '    kubecontrollermanager: []');
    expect(r.byRole.size).toBe(0);
    expect(r.diagnostics).toEqual(
      ['etcd', 'scheduler', 'kubecontrollermanager'].map((k) => [
        'KI406',
        'warning',
        `spec.externalPolicies.${k}`,
        `ignored: '${k}' has no IAM role of its own in kops (it runs on the control plane)`,
      ]),
    );
  });

  it('refuses unknown keys (KI302), master with control-plane (KI302), and a value that is not a map (KI406)', () => {
    expect(read('    nodes: []', '    master: []', '    control-plane: []').diagnostics.map((d) => [d[0], d[2]])).toEqual([
      ['KI302', 'spec.externalPolicies.nodes'],
      ['KI302', 'spec.externalPolicies.control-plane'],
    ]);
    const { spec, report } = specLines(`  externalPolicies: [${P('a')}]`);
    readExternalPolicies(spec, undefined, report);
    expect(report.diagnostics).toMatchObject([
      { code: 'KI406', message: 'must be a map of role (master, node, bastion or apiserver) to a list of managed-policy ARNs' },
    ]);
  });

  it('checks every ARN and refuses duplicates, as kops does (KI406)', () => {
    expect(
      read('    node:', `    - ${P('a')}`, `    - ${P('a')}`, '    - arn:aws:iam::123456789012:role/r', '    - 12').diagnostics,
    ).toEqual([
      ['KI406', 'error', 'spec.externalPolicies.node[1]', `'${P('a')}' is listed twice; kops refuses duplicate attachments`],
      [
        'KI406',
        'error',
        'spec.externalPolicies.node[2]',
        "that is a role's ARN; this list takes ARNs of managed policies, arn:aws:iam::123456789012:policy/name",
      ],
      ['KI406', 'error', 'spec.externalPolicies.node[3]', 'must be the ARN of a managed policy, found the number 12'],
    ]);
    expect(read('    node: arn:aws:iam::123456789012:policy/a').diagnostics).toEqual([
      ['KI406', 'error', 'spec.externalPolicies.node', 'must be a list of managed-policy ARNs'],
    ]);
  });
});

describe('external policies in the plan', () => {
  it('are attached to the roles of groups in use; a role no group has is warned about (externalpolicies reference case)', async () => {
    const extra = [
      '  externalPolicies:',
      '    node:',
      `    - ${P('test-policy')}`,
      '    master:',
      `    - ${P('test-policy')}`,
      '    bastion:',
      `    - ${P('test-policy')}`,
    ];
    const text = [clusterYaml('e.example.com', extra.join('\n')), instanceGroupYaml('m', 'Master'), instanceGroupYaml('n', 'Node')].join(
      '\n---\n',
    );
    const { plan } = await loadOne(text);
    expect(instanceRole(plan, 'master').attachments).toEqual([{ arn: P('test-policy'), source: 'externalPolicies' }]);
    expect(instanceRole(plan, 'node').attachments).toEqual([{ arn: P('test-policy'), source: 'externalPolicies' }]);
    expect(plan.roles.map((r) => r.subject)).toEqual([
      { kind: 'instance', role: 'master' },
      { kind: 'instance', role: 'node' },
    ]);
  });

  it('of a role no InstanceGroup has are warned about (KI113)', async () => {
    const extra = ['  externalPolicies:', '    bastion:', `    - ${P('test-policy')}`].join('\n');
    const { loadPlans } = await import('../../src/load');
    const r = await loadPlans([
      { name: 'in.yaml', text: [clusterYaml('e.example.com', extra), instanceGroupYaml('n', 'Node')].join('\n---\n') },
    ]);
    expect(warningsOf(r.diagnostics).map((d) => [d.code, d.path, d.message])).toEqual([
      [
        'KI113',
        'spec.externalPolicies.bastion',
        'ignored: no InstanceGroup of this cluster has the bastions role, so its policy attachments is not created',
      ],
    ]);
  });
});
