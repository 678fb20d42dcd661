import { describe, expect, it } from 'vitest';
import { Report } from '../../src/diagnostics/report';
import { readInstanceGroup } from '../../src/manifest/instance-group';
import { instanceGroupYaml, yamlRoot } from '../helpers';

function group(text: string) {
  const { root } = yamlRoot(text);
  const report = new Report();
  const read = readInstanceGroup(root, report);
  return { read, diagnostics: report.diagnostics.map((d) => [d.code, d.severity, d.path, d.message]) };
}

describe('readInstanceGroup: roles (KI108)', () => {
  it.each([
    ['Master', 'master'],
    ['ControlPlane', 'master'],
    ['APIServer', 'apiserver'],
    ['Node', 'node'],
    ['Bastion', 'bastion'],
  ])('reads role %s as %s', (written, role) => {
    expect(group(instanceGroupYaml('g', written)).read?.role).toBe(role);
  });

  it.each([
    [
      'node',
      "unknown InstanceGroup role 'node'; did you mean 'Node'? kops-iam builds IAM for ControlPlane (or Master), APIServer, Node and " +
        'Bastion',
    ],
    [
      'Nodes',
      "unknown InstanceGroup role 'Nodes'; did you mean 'Node'? kops-iam builds IAM for ControlPlane (or Master), APIServer, Node and " +
        'Bastion',
    ],
    ['Worker', "unknown InstanceGroup role 'Worker'; kops-iam builds IAM for ControlPlane (or Master), APIServer, Node and Bastion"],
    [
      'constructor',
      "unknown InstanceGroup role 'constructor'; kops-iam builds IAM for ControlPlane (or Master), APIServer, Node and Bastion",
    ],
    ['toString', "unknown InstanceGroup role 'toString'; kops-iam builds IAM for ControlPlane (or Master), APIServer, Node and Bastion"],
  ])('refuses role %s, never looking it up on an object', (written, message) => {
    expect(group(instanceGroupYaml('g', written))).toEqual({ read: undefined, diagnostics: [['KI108', 'error', 'spec.role', message]] });
  });

  it('refuses a group without a role', () => {
    expect(group('apiVersion: kops.k8s.io/v1alpha2\nkind: InstanceGroup\nmetadata: {name: g}\nspec: {}\n').diagnostics).toEqual([
      ['KI108', 'error', 'spec.role', 'an InstanceGroup needs spec.role: ControlPlane (or Master), APIServer, Node or Bastion'],
    ]);
  });
});

describe('readInstanceGroup: the rest of what decides IAM', () => {
  it('reads name, position, cluster label and defaults', () => {
    const { read, diagnostics } = group(instanceGroupYaml('nodes', 'Node', 'c.example.com'));
    expect(diagnostics).toEqual([]);
    expect(read).toEqual({
      name: 'nodes',
      at: { pos: { file: 'test.yaml', line: 1, col: 1 }, path: '' },
      role: 'node',
      clusterLabel: {
        unset: false,
        name: 'c.example.com',
        text: 'c.example.com',
        at: { pos: { file: 'test.yaml', line: 6, col: 26 }, path: 'metadata.labels["kops.k8s.io/cluster"]' },
      },
      karpenter: false,
      nvidiaGpu: false,
      rootVolumeKey: false,
    });
  });

  it('keeps a label that is not a string as text, without a name', () => {
    const { read } = group(instanceGroupYaml('n', 'Node', '12'));
    expect(read?.clusterLabel).toMatchObject({ unset: false, name: undefined, text: '12' });
    expect(group(instanceGroupYaml('n', 'Node')).read?.clusterLabel).toMatchObject({ unset: true, name: undefined });
  });

  it('reads the Karpenter manager, a warm pool, GPUs and a root volume key', () => {
    const { read } = group(
      instanceGroupYaml(
        'k',
        'Node',
        undefined,
        '  manager: Karpenter',
        '  warmPool: {maxSize: 1, enableLifecycleHook: true}',
        '  containerd: {nvidiaGPU: {enabled: true}}',
        '  rootVolumeEncryption: true',
        '  rootVolumeEncryptionKey: arn:aws:kms:eu-central-1:123456789012:key/k',
      ),
    );
    expect(read).toMatchObject({
      karpenter: true,
      warmPool: { maxSize: 1, enableLifecycleHook: true },
      nvidiaGpu: true,
      rootVolumeKey: true,
    });
  });

  it('needs both rootVolumeEncryption and a key for a customer managed key', () => {
    expect(group(instanceGroupYaml('k', 'Node', undefined, '  rootVolumeEncryption: true')).read?.rootVolumeKey).toBe(false);
    expect(group(instanceGroupYaml('k', 'Node', undefined, '  rootVolumeEncryptionKey: k')).read?.rootVolumeKey).toBe(false);
  });
});

describe('readInstanceGroup: spec.iam.profile (KI407)', () => {
  it('takes the ARN of an instance profile, with where it is written', () => {
    const { read, diagnostics } = group(
      instanceGroupYaml('m', 'Master', undefined, '  iam:', '    profile: arn:aws:iam::123456789012:instance-profile/my-masters'),
    );
    expect(diagnostics).toEqual([]);
    expect(read?.profile).toEqual({
      arn: 'arn:aws:iam::123456789012:instance-profile/my-masters',
      at: { pos: { file: 'test.yaml', line: 8, col: 14 }, path: 'spec.iam.profile' },
    });
  });

  it("takes kops' test partition and 13-digit accounts, as kops' validation does (existing_iam reference case)", () => {
    const arn = 'arn:aws-test:iam::4222917490108:instance-profile/kops-custom-master-role';
    const { read, diagnostics } = group(instanceGroupYaml('m', 'Master', undefined, '  iam:', `    profile: ${arn}`));
    expect(diagnostics).toEqual([]);
    expect(read?.profile?.arn).toBe(arn);
  });

  it('refuses what is not an instance profile ARN', () => {
    const problems = (written: string) =>
      group(instanceGroupYaml('m', 'Master', undefined, '  iam:', `    profile: ${written}`)).diagnostics;
    expect(problems('arn:aws:iam::123456789012:role/r')).toEqual([
      [
        'KI407',
        'error',
        'spec.iam.profile',
        "that is a role's ARN; spec.iam.profile takes the ARN of an instance profile, arn:aws:iam::123456789012:instance-profile/my-nodes",
      ],
    ]);
    expect(problems('my-nodes')).toEqual([
      [
        'KI407',
        'error',
        'spec.iam.profile',
        "'my-nodes' is not an IAM instance profile ARN (write the instance profile's ARN, not its name); expected e.g. " +
          'arn:aws:iam::123456789012:instance-profile/my-nodes',
      ],
    ]);
    expect(problems('[a]')).toEqual([
      [
        'KI407',
        'error',
        'spec.iam.profile',
        'must be the ARN of an existing instance profile, e.g. arn:aws:iam::123456789012:instance-profile/my-nodes',
      ],
    ]);
  });
});
