import { describe, expect, it } from 'vitest';
import { clusterYaml, errorsOf, existingRoles, instanceGroupYaml, load, loadOne, warningsOf } from '../helpers';

const profile = (arn: string) => ['  iam:', `    profile: ${arn}`];
const PROFILE = 'arn:aws:iam::123456789012:instance-profile/';

describe('InstanceGroups with an existing instance profile', () => {
  it('get no role: the plan names the existing profile once per ARN (existing_iam reference case: no IAM resources)', async () => {
    const text = [
      clusterYaml('e.example.com'),
      instanceGroupYaml('master-a', 'Master', undefined, ...profile(`${PROFILE}kops-custom-master-role`)),
      instanceGroupYaml('master-b', 'Master', undefined, ...profile(`${PROFILE}kops-custom-master-role`)),
      instanceGroupYaml('nodes', 'Node', undefined, ...profile(`${PROFILE}team/kops-custom-node-role`)),
    ].join('\n---\n');
    const { plan } = await loadOne(text);
    expect(plan.roles).toEqual([
      {
        type: 'existing',
        subject: { kind: 'instance', role: 'master' },
        existing: { kind: 'instance-profile', profileArn: `${PROFILE}kops-custom-master-role`, profileName: 'kops-custom-master-role' },
      },
      {
        type: 'existing',
        subject: { kind: 'instance', role: 'node' },
        existing: { kind: 'instance-profile', profileArn: `${PROFILE}team/kops-custom-node-role`, profileName: 'kops-custom-node-role' },
      },
    ]);
  });

  it('leave the role to the groups of the same role without one', async () => {
    const text = [
      clusterYaml('e.example.com'),
      instanceGroupYaml('nodes-a', 'Node', undefined, ...profile(`${PROFILE}custom`)),
      instanceGroupYaml('nodes-b', 'Node'),
    ].join('\n---\n');
    const { plan } = await loadOne(text);
    expect(plan.roles.map((r) => [r.type, r.subject.kind === 'instance' ? r.subject.role : ''])).toEqual([
      ['managed', 'node'],
      ['existing', 'node'],
    ]);
    expect(existingRoles(plan, 'node')).toHaveLength(1);
  });

  it("are refused when the profile is of another partition than the cluster's region (KI407)", async () => {
    const text = [
      clusterYaml('e.example.com'),
      instanceGroupYaml('n', 'Node', undefined, ...profile('arn:aws-cn:iam::123456789012:instance-profile/p')),
    ].join('\n---\n');
    const r = await load(text);
    expect(errorsOf(r.diagnostics).map((d) => [d.code, d.path, d.line, d.message])).toEqual([
      [
        'KI407',
        'spec.iam.profile',
        19,
        "ARN partition 'aws-cn' does not match the cluster's partition 'aws'; write arn:aws:iam::123456789012:instance-profile/p",
      ],
    ]);
  });

  it("take kops' test partition and 13-digit accounts with warnings, in a region AWS's data does not list", async () => {
    const arn = 'arn:aws-test:iam::4222917490108:instance-profile/kops-custom-master-role';
    const text = [clusterYaml('e.example.com', '', 'us-test-1a'), instanceGroupYaml('m', 'Master', undefined, ...profile(arn))].join(
      '\n---\n',
    );
    const r = await load(text);
    expect(r.ok).toBe(true);
    expect(warningsOf(r.diagnostics).map((d) => [d.code, d.path])).toEqual([
      ['KI205', 'spec.subnets[0].zone'],
      ['KI407', 'spec.iam.profile'],
      ['KI407', 'spec.iam.profile'],
    ]);
  });

  it('refuses an account that is not 12 digits in a listed region (KI407)', async () => {
    const text = [
      clusterYaml('e.example.com'),
      instanceGroupYaml('m', 'Master', undefined, ...profile('arn:aws:iam::4222917490108:instance-profile/p')),
    ].join('\n---\n');
    expect(errorsOf((await load(text)).diagnostics).map((d) => [d.code, d.message])).toEqual([
      ['KI407', "the account in the ARN must be 12 digits, found '4222917490108'"],
    ]);
  });

  it('are refused when one profile serves two roles (KI407)', async () => {
    const text = [
      clusterYaml('e.example.com'),
      instanceGroupYaml('m', 'Master', undefined, ...profile(`${PROFILE}shared`)),
      instanceGroupYaml('n', 'Node', undefined, ...profile(`${PROFILE}shared`)),
    ].join('\n---\n');
    expect(errorsOf((await load(text)).diagnostics).map((d) => [d.code, d.message])).toEqual([
      ['KI407', `instance profile ${PROFILE}shared is used by masters and nodes groups; kops needs one profile per role`],
    ]);
  });

  it('make the policies of their role ignored, with a warning (KI113)', async () => {
    const extra = [
      '  additionalPolicies:',
      '    node: \'[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\'',
      '  externalPolicies:',
      '    node: [arn:aws:iam::123456789012:policy/p]',
    ].join('\n');
    const text = [clusterYaml('e.example.com', extra), instanceGroupYaml('n', 'Node', undefined, ...profile(`${PROFILE}custom`))].join(
      '\n---\n',
    );
    const r = await load(text);
    expect(r.ok).toBe(true);
    expect(warningsOf(r.diagnostics).map((d) => [d.code, d.path, d.message])).toEqual([
      [
        'KI113',
        'spec.additionalPolicies.node',
        'ignored: every nodes InstanceGroup uses an existing instance profile (spec.iam.profile), so kops-iam creates no role for its ' +
          'additional policy',
      ],
      [
        'KI113',
        'spec.externalPolicies.node',
        'ignored: every nodes InstanceGroup uses an existing instance profile (spec.iam.profile), so kops-iam creates no role for its ' +
          'policy attachments',
      ],
    ]);
  });
});
