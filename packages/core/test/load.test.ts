import { describe, expect, it } from 'vitest';
import { loadPlans } from '../src/load';
import { clusterYaml, errorsOf, instanceGroupYaml, load, warningsOf } from './helpers';

const rolesOf = (r: Awaited<ReturnType<typeof load>>, cluster: string) => r.clusters.find((c) => c.plan.cluster === cluster)?.model.roles;

describe('documents', () => {
  it('reads the bare metadata + spec form as a Cluster', async () => {
    const r = await load('metadata:\n  name: bare.example.com\nspec:\n  cloudProvider: aws\n  zones:\n  - name: eu-central-1a\n');
    expect(r.ok).toBe(true);
    expect(r.clusters.map((c) => c.plan.cluster)).toEqual(['bare.example.com']);
  });

  it.each(['kops/v1alpha1', 'kops/v1alpha2', 'kops.k8s.io/v1alpha2'])('reads apiVersion %s', async (apiVersion) => {
    const r = await load(clusterYaml('v.example.com').replace('kops.k8s.io/v1alpha2', apiVersion));
    expect(r.ok).toBe(true);
  });

  it('accepts cloudProvider in the map form of newer kops', async () => {
    const r = await load(clusterYaml('m.example.com').replace('  cloudProvider: aws', '  cloudProvider:\n    aws: {}'));
    expect(r.ok).toBe(true);
  });

  it('is an error without any Cluster', async () => {
    const r = await load(instanceGroupYaml('nodes', 'Node'));
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics).map((d) => d.message).join('\n')).toMatch(/Cluster/);
  });

  it('is an error when a cluster is defined twice, even across files', async () => {
    const r = await loadPlans([
      { name: 'a.yaml', text: clusterYaml('dup.example.com') },
      { name: 'b.yaml', text: clusterYaml('dup.example.com') },
    ]);
    expect(r.ok).toBe(false);
    const e = errorsOf(r.diagnostics);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ file: 'b.yaml', path: 'metadata.name' });
    expect(e[0]!.message).toMatch(/defined twice; the first is at a\.yaml:4/);
  });

  it('returns no plan at all when any cluster has an error', async () => {
    const text = [clusterYaml('good.example.com'), clusterYaml('bad.example.com', '  configBase: gs://x/y')].join('\n---\n');
    const r = await load(text);
    expect(r.ok).toBe(false);
    expect(r.clusters).toEqual([]);
  });

  it('returns diagnostics sorted by file, line and column', async () => {
    const r = await loadPlans([
      { name: 'b.yaml', text: clusterYaml('b.example.com', '  configBase: gs://x/y\n  keyStore: ftp://z') },
      { name: 'a.yaml', text: clusterYaml('a.example.com', '  configBase: gs://x/y') },
    ]);
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(['a.yaml:10', 'b.yaml:10', 'b.yaml:11']);
  });
});

describe('several clusters', () => {
  it('plans each cluster of one file separately', async () => {
    const text = [clusterYaml('one.example.com', '  dnsZone: Z1'), clusterYaml('two.example.com', '  dnsZone: Z2', 'us-east-1a')].join('\n---\n');
    const r = await load(text);
    expect(r.ok).toBe(true);
    expect(r.clusters.map((c) => [c.plan.cluster, c.plan.region])).toEqual([
      ['one.example.com', 'eu-central-1'],
      ['two.example.com', 'us-east-1'],
    ]);
  });
});

describe('InstanceGroup assignment', () => {
  it('follows the kops.k8s.io/cluster label, across files', async () => {
    const r = await loadPlans([
      { name: 'clusters.yaml', text: [clusterYaml('a.example.com'), clusterYaml('b.example.com')].join('\n---\n') },
      {
        name: 'igs.yaml',
        text: [instanceGroupYaml('m', 'Master', 'a.example.com'), instanceGroupYaml('n', 'Node', 'a.example.com'), instanceGroupYaml('bastions', 'Bastion', 'a.example.com'), instanceGroupYaml('n', 'Node', 'b.example.com')].join('---\n'),
      },
    ]);
    expect(r.ok).toBe(true);
    expect(rolesOf(r, 'a.example.com')).toEqual(['master', 'node', 'bastion']);
    expect(rolesOf(r, 'b.example.com')).toEqual(['node']);
  });

  it('gives an unlabelled InstanceGroup to the only cluster', async () => {
    const r = await load([clusterYaml('only.example.com'), instanceGroupYaml('n', 'Node')].join('\n---\n'));
    expect(r.ok).toBe(true);
    expect(rolesOf(r, 'only.example.com')).toEqual(['node']);
  });

  it('is an error for an unlabelled InstanceGroup with several clusters', async () => {
    const r = await load([clusterYaml('a.example.com'), clusterYaml('b.example.com'), instanceGroupYaml('n', 'Node')].join('\n---\n'));
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics)[0]!.message).toMatch(/without a kops.k8s.io\/cluster label, and the input has 2 clusters/);
  });

  it('is an error for a label naming a cluster not in the input', async () => {
    const r = await load([clusterYaml('a.example.com'), instanceGroupYaml('n', 'Node', 'other.example.com')].join('\n---\n'));
    expect(r.ok).toBe(false);
    const e = errorsOf(r.diagnostics)[0]!;
    expect(e.path).toBe('metadata.labels["kops.k8s.io/cluster"]');
    expect(e.message).toMatch(/'other.example.com', which is not in the input \(clusters: a.example.com\)/);
  });

  it('is an error for an unknown role, with a hint for a case mistake', async () => {
    const r = await load([clusterYaml('a.example.com'), instanceGroupYaml('n', 'node')].join('\n---\n'));
    expect(errorsOf(r.diagnostics)[0]!.message).toMatch(/unknown InstanceGroup role 'node'; did you mean 'Node'\?/);
  });
});

describe('roles in use (SPEC §2)', () => {
  it('are master and node without InstanceGroups', async () => {
    const r = await load(clusterYaml('r.example.com'));
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node']);
  });

  it('add bastion when topology.bastion is set', async () => {
    const r = await load(clusterYaml('r.example.com', '  topology:\n    bastion:\n      bastionPublicName: b.r.example.com'));
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node', 'bastion']);
  });

  it('add bastion when additionalPolicies names it', async () => {
    const r = await load(clusterYaml('r.example.com', '  additionalPolicies:\n    bastion: \'[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]\''));
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node', 'bastion']);
  });

  it('add bastion when customPolicies names it', async () => {
    const r = await load(clusterYaml('r.example.com', '  customPolicies:\n    bastion: arn:aws:iam::123456789012:role/bastion'), '+CustomPoliciesSupport');
    expect(r.ok).toBe(true);
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node', 'bastion']);
  });

  it('are those of the InstanceGroups when there are any; ControlPlane is master', async () => {
    const r = await load([clusterYaml('r.example.com', '  topology:\n    bastion: {}'), instanceGroupYaml('cp', 'ControlPlane'), instanceGroupYaml('n', 'Node')].join('\n---\n'));
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node']);
  });

  it('warn (and build nothing) for a policy of a role no InstanceGroup has', async () => {
    const extra = '  additionalPolicies:\n    bastion: \'[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]\'';
    const r = await load([clusterYaml('r.example.com', extra), instanceGroupYaml('m', 'Master'), instanceGroupYaml('n', 'Node')].join('\n---\n'));
    expect(r.ok).toBe(true);
    expect(rolesOf(r, 'r.example.com')).toEqual(['master', 'node']);
    const w = warningsOf(r.diagnostics);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ path: 'spec.additionalPolicies.bastion', line: 11 });
    expect(w[0]!.message).toMatch(/no InstanceGroup of this cluster has the bastions role/);
    expect(r.clusters[0]!.plan.roles.map((x) => x.role)).toEqual(['master', 'node']);
  });
});

describe('custom policies and the feature flag', () => {
  const custom = '  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node';

  it('needs CustomPoliciesSupport, and says how to turn it on', async () => {
    const r = await load(clusterYaml('c.example.com', custom));
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics)[0]!.message).toContain('export KOPS_FEATURE_FLAGS="+CustomPoliciesSupport"');
  });

  it('is refused when the last word turns the flag off', async () => {
    const r = await load(clusterYaml('c.example.com', custom), '+CustomPoliciesSupport,-CustomPoliciesSupport');
    expect(r.ok).toBe(false);
  });

  it('is accepted with the flag, with a warning that the role is the user\'s to manage', async () => {
    const r = await load(clusterYaml('c.example.com', custom), 'CustomPoliciesSupport');
    expect(r.ok).toBe(true);
    expect(warningsOf(r.diagnostics)[0]!.message).toMatch(/will not create or manage role 'kops-node'/);
  });

  it('rejects a role ARN of another partition', async () => {
    const r = await load(clusterYaml('c.example.com', '  customPolicies:\n    node: arn:aws-cn:iam::123456789012:role/kops-node'), '+CustomPoliciesSupport');
    expect(errorsOf(r.diagnostics)[0]!.message).toMatch(/partition 'aws-cn'/);
  });

  it('rejects additionalPolicies for the same role', async () => {
    const extra = `${custom}\n  additionalPolicies:\n    node: '[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]'`;
    const r = await load(clusterYaml('c.example.com', extra), '+CustomPoliciesSupport');
    expect(r.ok).toBe(false);
    expect(errorsOf(r.diagnostics)[0]!.message).toMatch(/cannot be combined with customPolicies.node/);
  });
});
