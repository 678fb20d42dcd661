import { describe, expect, it } from 'vitest';
import { readAdditionalPolicies } from '../../src/cluster/additional-policies';
import { partitionOf } from '../../src/cluster/partition';
import { specLines } from '../helpers';

const STATEMENT = '\'[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\'';

function read(...lines: string[]) {
  const { spec, report } = specLines('  additionalPolicies:', ...lines);
  const r = readAdditionalPolicies(spec, partitionOf('eu-central-1'), report);
  return { ...r, diagnostics: report.diagnostics.map((d) => [d.code, d.severity, d.path, d.message]) };
}

describe('readAdditionalPolicies', () => {
  it('reads a policy per role key, master and control-plane alike, with where each is written', () => {
    const r = read(
      `    control-plane: ${STATEMENT}`,
      '    node:',
      '    - {Effect: Allow, Action: "ec2:DescribeInstances", Resource: "*"}',
      `    apiserver: ${STATEMENT}`,
    );
    expect(r.diagnostics).toEqual([]);
    expect([...r.byRole.keys()]).toEqual(['master', 'node', 'apiserver']);
    expect(r.byRole.get('master')?.at).toEqual({
      pos: { file: 'test.yaml', line: 3, col: 20 },
      path: 'spec.additionalPolicies.control-plane',
    });
    expect(r.byRole.get('node')?.statements[0]?.origin).toEqual({
      source: 'user',
      field: 'additionalPolicies',
      at: { pos: { file: 'test.yaml', line: 5, col: 7 }, path: 'spec.additionalPolicies.node[0]' },
      index: 0,
    });
    expect(r.actions.map((a) => a.action)).toEqual(['s3:GetObject', 'ec2:DescribeInstances', 's3:GetObject']);
  });

  it('refuses master and control-plane together: they name the same role (KI302)', () => {
    expect(read(`    master: ${STATEMENT}`, `    control-plane: ${STATEMENT}`).diagnostics).toEqual([
      [
        'KI302',
        'error',
        'spec.additionalPolicies.control-plane',
        'the control-plane policy is already given by spec.additionalPolicies.master: master and control-plane name the same role; ' +
          'merge them',
      ],
    ]);
  });

  it('refuses an unknown role key with a hint (KI302), and a value that is not a role map (KI301)', () => {
    expect(read(`    nodes: ${STATEMENT}`).diagnostics).toEqual([
      [
        'KI302',
        'error',
        'spec.additionalPolicies.nodes',
        "unknown role 'nodes'; did you mean 'node'? use master, control-plane, apiserver, node or bastion",
      ],
    ]);
    const { spec, report } = specLines(`  additionalPolicies: ${STATEMENT}`);
    readAdditionalPolicies(spec, undefined, report);
    expect(report.diagnostics).toMatchObject([
      {
        code: 'KI301',
        message:
          'must be a map of role (master, node, bastion or apiserver) to a JSON list of IAM statements; put the list under a role key, ' +
          'e.g. node: |',
      },
    ]);
  });

  it('ignores, with a warning, the keys kops accepts that have no IAM role (etcd, scheduler, kubecontrollermanager)', () => {
    const r = read(`    etcd: ${STATEMENT}`, `    scheduler: ${STATEMENT}`);
    expect(r.byRole.size).toBe(0);
    expect(r.diagnostics).toEqual(
      ['etcd', 'scheduler'].map((k) => [
        'KI302',
        'warning',
        `spec.additionalPolicies.${k}`,
        `ignored: '${k}' has no IAM role of its own in kops (it runs on the control plane)`,
      ]),
    );
  });

  it('warns that an empty list adds no policy (KI304)', () => {
    const r = read('    node: []');
    expect(r.byRole.size).toBe(0);
    expect(r.diagnostics).toEqual([
      ['KI304', 'warning', 'spec.additionalPolicies.node', 'an empty list adds no policy; remove the key or add statements'],
    ]);
  });

  it('leaves out a role whose value cannot be read, and keeps reading the others', () => {
    const r = read('    node: 12', `    bastion: ${STATEMENT}`);
    expect([...r.byRole.keys()]).toEqual(['bastion']);
    expect(r.diagnostics.map((d) => d[0])).toEqual(['KI303']);
  });
});
