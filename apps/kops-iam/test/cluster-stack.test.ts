import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { afterAll, describe, expect, it } from 'vitest';
import { AWS_PROVIDER_REQUIREMENT, ClusterStack, terraformJsonText } from '../src/cluster-stack';
import { StackSynthesizer } from '../src/stack-json';
import { allKeys } from './helpers';
import { instanceGroup, irsaSpec, legacyCluster, planOf, strictCluster, yamlStream } from './manifests';

type Json = Record<string, Record<string, unknown>>;

const tmp = mkdtempSync(join(tmpdir(), 'kops-iam-cluster-stack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function stackJson(extra = '  dnsZone: Z1\n  topology:\n    bastion: {}'): Promise<Json> {
  const plan = await planOf(legacyCluster('s.example.com', extra));
  const stack = new ClusterStack(Testing.app(), plan.cluster, plan);
  return stack.toTerraform() as Json;
}

describe('ClusterStack', () => {
  it('has no cdktf "//" metadata anywhere and no backend', async () => {
    const json = await stackJson();
    expect(allKeys(json)).not.toContain('//');
    expect(json.terraform).toEqual({ required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.0, < 7.0' } } });
  });

  it('gives the later of two etcd KMS lookups that would share a label 8 hex digits of its SHA-256', async () => {
    const arn = 'arn:aws:kms:eu-central-1:123456789012:alias/etcd';
    const members = [
      '    - {name: a, encryptedVolume: true, kmsKeyId: alias/etcd}',
      `    - {name: b, encryptedVolume: true, kmsKeyId: "${arn}"}`,
    ].join('\n');
    const json = await stackJson(`  dnsZone: Z1\n  etcdClusters:\n  - name: main\n    etcdMembers:\n${members}`);
    const suffix = createHash('sha256').update(arn).digest('hex').slice(0, 8);
    // The alias by name is looked up as an alias, the alias by ARN as a key.
    expect([json.data!.aws_kms_alias, json.data!.aws_kms_key].map((d) => Object.keys(d!))).toEqual([
      ['etcd-s-example-com-alias-etcd'],
      [`etcd-s-example-com-alias-etcd-${suffix}`],
    ]);
  });

  it('requires hashicorp/aws, fully qualified, with a version constraint', async () => {
    const json = await stackJson();
    const aws = (json.terraform!.required_providers as Record<string, { source: string; version: string }>).aws!;
    expect(aws.source).toBe('hashicorp/aws');
    expect(aws.version).toMatch(/^>= \d+\.\d+, < \d+\.\d+$/);
    expect(AWS_PROVIDER_REQUIREMENT).toEqual(aws);
  });

  it('configures the provider for the cluster region', async () => {
    const plan = await planOf(legacyCluster('r.example.com', '  dnsZone: Z1', 'ap-south-1b'));
    const synth = Testing.synth(new ClusterStack(Testing.app(), plan.cluster, plan));
    expect(Testing.toHaveProviderWithProperties(synth, 'aws', { region: 'ap-south-1' })).toBe(true);
  });

  it('outputs cluster_name, region, R_role_arn / R_role_name and R_instance_profile_arn / _name of every role in use', async () => {
    const json = await stackJson();
    const outputs: Record<string, { value: string }> = { cluster_name: { value: 's.example.com' }, region: { value: 'eu-central-1' } };
    for (const r of ['masters', 'nodes', 'bastions']) {
      outputs[`${r}_role_arn`] = { value: `\${aws_iam_role.${r}-s-example-com.arn}` };
      outputs[`${r}_role_name`] = { value: `\${aws_iam_role.${r}-s-example-com.name}` };
      outputs[`${r}_instance_profile_arn`] = { value: `\${aws_iam_instance_profile.${r}-s-example-com.arn}` };
      outputs[`${r}_instance_profile_name`] = { value: `\${aws_iam_instance_profile.${r}-s-example-com.name}` };
    }
    expect(json.output).toEqual(outputs);
  });

  it('outputs service-account roles as <namespace>-<name>_role_*, * as wildcard, and the OIDC provider', async () => {
    const plan = await planOf(strictCluster('minimal.example.com', irsaSpec()));
    const output = new ClusterStack(Testing.app(), plan.cluster, plan).toTerraform().output as Record<string, { value: string }>;
    expect(Object.keys(output).filter((k) => !/^(masters|nodes)_/.test(k))).toEqual([
      'cluster_name',
      'region',
      'default-myserviceaccount_role_arn',
      'default-myserviceaccount_role_name',
      'test-wildcard-myserviceaccount_role_arn',
      'test-wildcard-myserviceaccount_role_name',
      'myapp-myotherserviceaccount_role_arn',
      'myapp-myotherserviceaccount_role_name',
      'iam_openid_connect_provider_arn',
      'iam_openid_connect_provider_issuer',
    ]);
    expect(output['test-wildcard-myserviceaccount_role_arn']!.value).toBe(
      '${aws_iam_role.myserviceaccount-test-wildcard-sa-minimal-example-com.arn}',
    );
    expect(output.iam_openid_connect_provider_arn!.value).toBe('${aws_iam_openid_connect_provider.minimal-example-com.arn}');
    expect(output.iam_openid_connect_provider_issuer!.value).toBe('discovery-bucket.s3.eu-central-1.amazonaws.com/oidc');
  });

  it('outputs nothing for a role whose InstanceGroups all use an existing instance profile, and the custom role as given', async () => {
    const profile = '  iam:\n    profile: arn:aws:iam::123456789012:instance-profile/shared-masters';
    const spec = '  dnsZone: Z1\n  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node';
    const text = yamlStream(
      legacyCluster('e.example.com', spec),
      instanceGroup('e.example.com', 'm', 'Master', profile),
      instanceGroup('e.example.com', 'n', 'Node'),
    );
    const plan = await planOf(text, '+CustomPoliciesSupport');
    const json = new ClusterStack(Testing.app(), plan.cluster, plan).toTerraform() as Json;
    expect(json.output).toEqual({
      cluster_name: { value: 'e.example.com' },
      region: { value: 'eu-central-1' },
      nodes_role_arn: { value: 'arn:aws:iam::123456789012:role/kops-node' },
      nodes_role_name: { value: 'kops-node' },
      nodes_instance_profile_arn: { value: '${aws_iam_instance_profile.nodes-e-example-com.arn}' },
      nodes_instance_profile_name: { value: '${aws_iam_instance_profile.nodes-e-example-com.name}' },
    });
    expect(json.resource).toEqual({ aws_iam_instance_profile: { 'nodes-e-example-com': expect.objectContaining({ role: 'kops-node' }) } });
  });

  it('writes the kops addresses for roles, policies and instance profiles', async () => {
    const json = await stackJson();
    const resource = json.resource as Record<string, Record<string, unknown>>;
    const roles = ['bastions-s-example-com', 'masters-s-example-com', 'nodes-s-example-com'];
    expect(Object.keys(resource.aws_iam_role!).sort()).toEqual(roles);
    expect(Object.keys(resource.aws_iam_role_policy!).sort()).toEqual(roles);
    expect(Object.keys(resource.aws_iam_instance_profile!).sort()).toEqual(roles);
  });

  it('adds import blocks with importExisting, and none without', async () => {
    const plan = await planOf(legacyCluster('i.example.com', '  dnsZone: Z1'));
    expect(new ClusterStack(Testing.app(), plan.cluster, plan).toTerraform().import).toBeUndefined();
    const json = new ClusterStack(Testing.app(), plan.cluster, plan, { importExisting: true }).toTerraform();
    expect(json.import).toContainEqual({ id: 'nodes.i.example.com', to: 'aws_iam_instance_profile.nodes-i-example-com' });
  });

  it('gives byte-identical text for the same input, with no machine detail', async () => {
    const plan = await planOf(legacyCluster('d.example.com'));
    const dirs = [mkdtempSync(join(tmpdir(), 'kops-iam-a-')), mkdtempSync(join(tmpdir(), 'kops-iam-b-'))];
    const [a = '', b] = dirs.map((d) => new StackSynthesizer(d).synthesize(plan));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    expect(a).toBe(b);
    expect(a).not.toContain(process.cwd());
    expect(a).not.toContain(tmpdir());
    expect(a.endsWith('}\n')).toBe(true);
  });

  it('under App.synth writes the same text plus only the metadata cdktf-cli reads', async () => {
    const plan = await planOf(legacyCluster('app.example.com', '  dnsZone: Z1'));
    const outdir = join(tmp, 'app');
    const app = new App({ outdir, stackTraces: false });
    const stack = new ClusterStack(app, plan.cluster, plan);
    app.synth();
    const written = readFileSync(join(outdir, 'stacks', 'app.example.com', 'cdk.tf.json'), 'utf8');
    const parsed = JSON.parse(written) as Json;
    expect(parsed['//']).toEqual({ metadata: { version: expect.any(String), stackName: 'app.example.com', backend: 'local' } });
    expect(written).not.toContain(outdir);
    expect(written).not.toContain(process.cwd());
    const { '//': _metadata, ...rest } = parsed;
    expect(terraformJsonText(rest)).toBe(terraformJsonText(stack.toTerraform()));
    expect(terraformJsonText(parsed)).toBe(written);
  });
});
