import { describe, expect, it } from 'vitest';
import { existingRoles, instanceRole, instanceGroupYaml, legacyClusterYaml, errorsOf, load, loadOne, warningsOf } from '../helpers';

const FLAG = '+CustomPoliciesSupport';

/** A seed-era cluster (customPolicies is a legacy field) with customPolicies lines; customPolicies is at line 10. */
function withCustom(lines: string[], zone = 'eu-central-1a'): string {
  return legacyClusterYaml('c.example.com', ['  customPolicies:', ...lines.map((l) => `    ${l}`)].join('\n'), zone);
}

describe('customPolicies behind KOPS_FEATURE_FLAGS', () => {
  const text = withCustom(['node: arn:aws:iam::123456789012:role/kops-node']);

  it.each([
    undefined,
    '',
    'SomethingElse',
    '-CustomPoliciesSupport',
    '+CustomPoliciesSupport,-CustomPoliciesSupport',
    'customPoliciesSupport',
  ])('is an error with KOPS_FEATURE_FLAGS=%j, showing the export line', async (flags) => {
    const r = await load(text, flags);
    expect(r.ok).toBe(false);
    const errors = errorsOf(r.diagnostics);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'KI401', path: 'spec.customPolicies', line: 10, col: 3 });
    expect(errors[0]!.message).toMatch(
      /^customPolicies needs the CustomPoliciesSupport feature flag, as in kops.*; run: export KOPS_FEATURE_FLAGS="(.*,)?\+CustomPoliciesSupport"$/,
    );
  });

  it.each([
    '+CustomPoliciesSupport',
    'CustomPoliciesSupport',
    ' CustomPoliciesSupport ',
    '-CustomPoliciesSupport,+CustomPoliciesSupport',
    'A,CustomPoliciesSupport,-B',
  ])('is allowed with KOPS_FEATURE_FLAGS=%j (kops: comma-separated, +Name or Name on, -Name off, last wins)', async (flags) => {
    expect((await load(text, flags)).ok).toBe(true);
  });

  it("keeps the user's other flags in the export line and says when the flag was turned off", async () => {
    const r = await load(text, 'Karpenter,-APIServerNodes,+CustomPoliciesSupport,-CustomPoliciesSupport');
    expect(errorsOf(r.diagnostics)[0]!.message).toBe(
      'customPolicies needs the CustomPoliciesSupport feature flag, as in kops ' +
        '(KOPS_FEATURE_FLAGS turns it off with -CustomPoliciesSupport); ' +
        'run: export KOPS_FEATURE_FLAGS="Karpenter,-APIServerNodes,+CustomPoliciesSupport"',
    );
  });

  it("says a flag takes one '+' for ++CustomPoliciesSupport", async () => {
    const r = await load(text, 'A,++CustomPoliciesSupport');
    expect(errorsOf(r.diagnostics).map((e) => e.message)).toEqual([
      'customPolicies needs the CustomPoliciesSupport feature flag, as in kops ' +
        "(KOPS_FEATURE_FLAGS has '+CustomPoliciesSupport', but a flag takes one '+'); " +
        'run: export KOPS_FEATURE_FLAGS="A,+CustomPoliciesSupport"',
    ]);
  });

  it('points out a flag name written in the wrong case', async () => {
    const r = await load(text, '+customPoliciesSupport');
    expect(errorsOf(r.diagnostics)[0]!.message).toMatch(
      /KOPS_FEATURE_FLAGS has 'customPoliciesSupport', but flag names are case-sensitive\); run: export KOPS_FEATURE_FLAGS="\+CustomPoliciesSupport"$/,
    );
  });
});

describe('customPolicies with the flag', () => {
  it('uses the existing role: no role or policy, the instance profile (with the cluster tags) on its name', async () => {
    const { plan, spec } = await loadOne(withCustom(['node: arn:aws:iam::123456789012:role/team/kops-node']), FLAG);
    expect(spec.customRoles.get('node')).toEqual({
      role: 'node',
      arn: 'arn:aws:iam::123456789012:role/team/kops-node',
      name: 'kops-node',
      at: { pos: { file: 'in.yaml', line: 11, col: 11 }, path: 'spec.customPolicies.node' },
    });
    expect(existingRoles(plan, 'node')).toEqual([
      {
        type: 'existing',
        subject: { kind: 'instance', role: 'node' },
        existing: {
          kind: 'role',
          roleArn: 'arn:aws:iam::123456789012:role/team/kops-node',
          roleName: 'kops-node',
          instanceProfileName: 'nodes.c.example.com',
          tags: [
            ['KubernetesCluster', 'c.example.com'],
            ['Name', 'nodes.c.example.com'],
            ['kubernetes.io/cluster/c.example.com', 'owned'],
          ],
        },
      },
    ]);
    expect(plan.roles.filter((r) => r.type === 'managed').map((r) => r.subject)).toEqual([{ kind: 'instance', role: 'master' }]);
    // The master keeps the role kops-iam creates, with its policy.
    expect(instanceRole(plan, 'master').policies.map((p) => p.kind)).toEqual(['role']);
  });

  it('warns that kops-iam will not manage the role', async () => {
    const r = await load(withCustom(['node: arn:aws:iam::123456789012:role/kops-node']), FLAG);
    expect(warningsOf(r.diagnostics)).toMatchObject([{ code: 'KI403', path: 'spec.customPolicies.node', line: 11, col: 11 }]);
    expect(warningsOf(r.diagnostics)[0]!.message).toMatch(/^kops-iam will not create or manage role 'kops-node'/);
  });

  it('is an error together with additionalPolicies for the same role, at the additional policy', async () => {
    const extra = [
      '  customPolicies:',
      '    node: arn:aws:iam::123456789012:role/kops-node',
      '  additionalPolicies:',
      '    node: |',
      '      [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]',
      '    master: |',
      '      [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]',
    ].join('\n');
    const r = await load(legacyClusterYaml('c.example.com', extra), FLAG);
    const errors = errorsOf(r.diagnostics);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'KI404', path: 'spec.additionalPolicies.node', line: 13, col: 11 });
    expect(errors[0]!.message).toMatch(
      /additionalPolicies\.node cannot be combined with customPolicies\.node \(arn:aws:iam::123456789012:role\/kops-node\)/,
    );
  });

  it('accepts the partitions of China and GovCloud when the region is there', async () => {
    expect((await load(withCustom(['node: arn:aws-cn:iam::123456789012:role/n'], 'cn-north-1a'), FLAG)).ok).toBe(true);
    expect((await load(withCustom(['node: arn:aws-us-gov:iam::123456789012:role/n'], 'us-gov-west-1a'), FLAG)).ok).toBe(true);
  });

  it('names an unknown role key with a hint', async () => {
    const r = await load(withCustom(['nodes: arn:aws:iam::123456789012:role/n', 'apiserver: arn:aws:iam::123456789012:role/a']), FLAG);
    expect(errorsOf(r.diagnostics).map((e) => [e.code, e.message])).toEqual([
      ['KI302', "unknown role 'nodes'; did you mean 'node'? use master, node or bastion"],
      ['KI302', "unknown role 'apiserver'; use master, node or bastion"],
    ]);
  });

  async function arnErrors(arn: string, zone = 'eu-central-1a'): Promise<string[]> {
    const r = await load(withCustom([`master: "${arn}"`], zone), FLAG);
    const errors = errorsOf(r.diagnostics);
    expect(errors.every((e) => e.code === 'KI402')).toBe(true);
    return errors.map((e) => e.message);
  }

  it.each([
    [
      'arn:aws-cn:iam::123456789012:role/x',
      "the role is in partition 'aws-cn' but the cluster's region is in 'aws'; instances cannot use a role of another partition: write " +
        'arn:aws:…',
    ],
    ['arn:aws:iam::12345678901:role/x', "the account in the ARN must be 12 digits, found '12345678901' (11 digits)"],
    ['arn:aws:iam::account:role/x', "the account in the ARN must be 12 digits, found 'account'"],
    [
      'arn:aws:iam:eu-central-1:123456789012:role/x',
      "IAM is global: a role ARN has no region, found 'eu-central-1'; write arn:aws:iam::123456789012:role/x",
    ],
    [
      'arn:aws:ec2::123456789012:role/x',
      "the ARN is of service 'ec2', not 'iam'; a role ARN reads arn:aws:iam::123456789012:role/kops-master",
    ],
    [
      'arn:aws:iam::123456789012:instance-profile/x',
      "that is an instance profile's ARN; customPolicies takes the ARN of a role, arn:aws:iam::123456789012:role/kops-master",
    ],
    [
      'arn:aws:iam::123456789012:policy/x',
      "that is a managed policy's ARN; customPolicies takes the ARN of a role, arn:aws:iam::123456789012:role/kops-master",
    ],
    [
      'arn:aws:iam::123456789012:role/a b',
      '\'a b\' is not a valid role name (it has the character " "): 1-64 letters, digits and + = , . @ _ -',
    ],
    [
      `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`,
      `'${'r'.repeat(65)}' is not a valid role name (it has 65 characters): 1-64 letters, digits and + = , . @ _ -`,
    ],
    ['arn:aws:iam::123456789012:role/team/', "the ARN ends with '/': the role's name is missing after the path '/team/'"],
    [
      'arn:aws:iam::123456789012:role/my team/x',
      "'/my team/' is not a valid role path (it has the character \" \"): '/' or '/segments/' of printable ASCII, at most 512 characters",
    ],
    [
      `arn:aws:iam::123456789012:role/${'p'.repeat(520)}/x`,
      `'/${'p'.repeat(520)}/' is not a valid role path (it has 522 characters): '/' or '/segments/' of printable ASCII, at most 512 ` +
        `characters`,
    ],
    [
      'kops-master',
      "'kops-master' is not an IAM role ARN (write the role's ARN, not its name); expected e.g. arn:aws:iam::123456789012:role/kops-master",
    ],
    [
      'arn:aws:iam::123456789012',
      '\'arn:aws:iam::123456789012\' is not an IAM role ARN (an ARN has six parts separated by ":"); expected e.g. ' +
        'arn:aws:iam::123456789012:role/kops-master',
    ],
  ])('rejects %s', async (arn, message) => {
    expect(await arnErrors(arn)).toEqual([message]);
  });

  it('points each error at the part of the ARN it is about', async () => {
    const arn = 'arn:aws-cn:iam:eu-west-1:1:role/a b';
    const r = await load(withCustom([`master: ${arn}`]), FLAG);
    const col = (part: string) => '    master: '.length + arn.indexOf(part) + 1;
    expect(errorsOf(r.diagnostics).map((e) => [e.line, e.col])).toEqual([
      [11, col('aws-cn')],
      [11, col('eu-west-1')],
      [11, col(':1:') + 1],
      [11, col('a b')],
    ]);
  });

  it('reports every problem of one ARN, in the order partition, account, name', async () => {
    expect(await arnErrors('arn:aws-cn:iam::1:role/a b')).toEqual([
      expect.stringMatching(/^the role is in partition 'aws-cn'/),
      expect.stringMatching(/^the account in the ARN must be 12 digits/),
      expect.stringMatching(/^'a b' is not a valid role name/),
    ]);
  });

  it("accepts role names with IAM's punctuation and nested paths", async () => {
    expect(await arnErrors('arn:aws:iam::123456789012:role/a/b-c/Role+=,.@_-1')).toEqual([]);
  });

  it('rejects a value that is not a string, with an example ARN for that role', async () => {
    const r = await load(withCustom(['bastion: [a, b]']), FLAG);
    expect(errorsOf(r.diagnostics).map((e) => [e.code, e.message])).toEqual([
      [
        'KI402',
        'must be the ARN of an existing IAM role, e.g. arn:aws:iam::123456789012:role/kops-bastion; to let kops-iam create the role, ' +
          'remove the key',
      ],
    ]);
  });

  it('warns, not errs, about a custom role no InstanceGroup uses', async () => {
    const text = `${withCustom(['bastion: arn:aws:iam::123456789012:role/b'])}\n---\n${instanceGroupYaml('nodes', 'Node')}`;
    const r = await load(text, FLAG);
    expect(r.ok).toBe(true);
    expect(warningsOf(r.diagnostics).map((w) => [w.code, w.path, w.message])).toEqual([
      ['KI403', 'spec.customPolicies.bastion', expect.stringMatching(/^kops-iam will not create or manage role 'b'/)],
      [
        'KI113',
        'spec.customPolicies.bastion',
        'ignored: no InstanceGroup of this cluster has the bastions role, so its instance profile is not created',
      ],
    ]);
  });

  it('is refused when not a map (KI402)', async () => {
    const r = await load(legacyClusterYaml('c.example.com', '  customPolicies: arn:aws:iam::123456789012:role/x'), FLAG);
    expect(errorsOf(r.diagnostics)).toMatchObject([
      {
        code: 'KI402',
        path: 'spec.customPolicies',
        message: 'must be a map of role (master, node, bastion) to the ARN of an existing IAM role',
      },
    ]);
  });
});
