import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { afterAll, describe, expect, it } from 'vitest';
import { AWS_PROVIDER_REQUIREMENT, ClusterStack, terraformJsonText } from '../src/cluster-stack';
import { StackSynthesizer } from '../src/stack-json';
import { allKeys, clusterYaml, planOf } from './helpers';

type Json = Record<string, Record<string, unknown>>;

const tmp = mkdtempSync(join(tmpdir(), 'kops-iam-cluster-stack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function stackJson(extra = '  dnsZone: Z1\n  topology:\n    bastion: {}'): Promise<Json> {
  const plan = await planOf(clusterYaml('s.example.com', extra));
  const stack = new ClusterStack(Testing.app(), plan.cluster, plan);
  return stack.toTerraform() as Json;
}

describe('ClusterStack', () => {
  it('has no cdktf "//" metadata anywhere and no backend', async () => {
    const json = await stackJson();
    expect(allKeys(json)).not.toContain('//');
    expect(json.terraform).toEqual({ required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.0, < 7.0' } } });
  });

  it('requires hashicorp/aws, fully qualified, with a version constraint', async () => {
    const json = await stackJson();
    const aws = (json.terraform!.required_providers as Record<string, { source: string; version: string }>).aws!;
    expect(aws.source).toBe('hashicorp/aws');
    expect(aws.version).toMatch(/^>= \d+\.\d+, < \d+\.\d+$/);
    expect(AWS_PROVIDER_REQUIREMENT).toEqual(aws);
  });

  it('configures the provider for the cluster region', async () => {
    const plan = await planOf(clusterYaml('r.example.com', '  dnsZone: Z1', 'ap-south-1b'));
    const synth = Testing.synth(new ClusterStack(Testing.app(), plan.cluster, plan));
    expect(Testing.toHaveProviderWithProperties(synth, 'aws', { region: 'ap-south-1' })).toBe(true);
  });

  it('outputs cluster_name, region and R_role_arn / R_role_name of every role in use', async () => {
    const json = await stackJson();
    expect(json.output).toEqual({
      cluster_name: { value: 's.example.com' },
      region: { value: 'eu-central-1' },
      masters_role_arn: { value: '${aws_iam_role.masters-s-example-com.arn}' },
      masters_role_name: { value: '${aws_iam_role.masters-s-example-com.name}' },
      nodes_role_arn: { value: '${aws_iam_role.nodes-s-example-com.arn}' },
      nodes_role_name: { value: '${aws_iam_role.nodes-s-example-com.name}' },
      bastions_role_arn: { value: '${aws_iam_role.bastions-s-example-com.arn}' },
      bastions_role_name: { value: '${aws_iam_role.bastions-s-example-com.name}' },
    });
  });

  it('writes the kops addresses for roles, policies and instance profiles', async () => {
    const json = await stackJson();
    const resource = json.resource as Record<string, Record<string, unknown>>;
    expect(Object.keys(resource.aws_iam_role!)).toEqual(['masters-s-example-com', 'nodes-s-example-com', 'bastions-s-example-com']);
    expect(Object.keys(resource.aws_iam_role_policy!)).toEqual(['masters-s-example-com', 'nodes-s-example-com', 'bastions-s-example-com']);
    expect(Object.keys(resource.aws_iam_instance_profile!)).toEqual(['masters-s-example-com', 'nodes-s-example-com', 'bastions-s-example-com']);
  });

  it('gives byte-identical text for the same input, with no machine detail', async () => {
    const plan = await planOf(clusterYaml('d.example.com'));
    const dirs = [mkdtempSync(join(tmpdir(), 'kops-iam-a-')), mkdtempSync(join(tmpdir(), 'kops-iam-b-'))];
    const [a = '', b] = dirs.map((d) => new StackSynthesizer(d).synthesize(plan));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    expect(a).toBe(b);
    expect(a).not.toContain(process.cwd());
    expect(a).not.toContain(tmpdir());
    expect(a.endsWith('}\n')).toBe(true);
  });

  it('under App.synth writes the same text plus only the metadata cdktf-cli reads', async () => {
    const plan = await planOf(clusterYaml('app.example.com', '  dnsZone: Z1'));
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
