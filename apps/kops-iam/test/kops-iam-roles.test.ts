import type { IamPlan, RolePlan } from '@kops-iam/core';
import { Testing, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { KopsIamRoles, type KopsIamRolesProps } from '../src/kops-iam-roles';
import {
  instanceGroup,
  irsaSpec,
  legacyCluster,
  planOf,
  plansOf,
  SA_POLICY_ARN,
  SA_POLICY_FNV,
  strictCluster,
  yamlStream,
} from './manifests';

type Blocks = Record<string, Record<string, Record<string, unknown>>>;
interface Json {
  resource?: Blocks;
  data?: Blocks;
  variable?: Record<string, unknown>;
  output?: Record<string, { value: unknown }>;
  import?: unknown[];
}

function synth(props: KopsIamRolesProps): { text: string; json: Json } {
  const text = Testing.synthScope((scope) => new KopsIamRoles(scope, 'iam', props));
  return { text, json: JSON.parse(text) as Json };
}

function labels(json: Json, type: string): string[] {
  return Object.keys(json.resource?.[type] ?? {});
}

function resource(json: Json, type: string, label: string): Record<string, unknown> {
  const r = json.resource?.[type]?.[label];
  if (r === undefined) throw new Error(`no ${type}.${label} in ${JSON.stringify(Object.keys(json.resource?.[type] ?? {}))}`);
  return r;
}

const EC2_TRUST =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const BASTION = '  dnsZone: Z1\n  topology:\n    bastion: {}';
const ADDITIONAL = `${BASTION}\n  additionalPolicies:\n    node: '[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]'`;

describe("KopsIamRoles: kops' resources, names and labels", () => {
  it('legacy: a role, inline policy and instance profile per role, labelled as kops labels them', async () => {
    const { text, json } = synth({ plan: await planOf(legacyCluster('a.example.com', ADDITIONAL)) });
    const roles = ['masters-a-example-com', 'nodes-a-example-com', 'bastions-a-example-com'];
    expect(labels(json, 'aws_iam_role').sort()).toEqual([...roles].sort());
    expect(labels(json, 'aws_iam_role_policy').sort()).toEqual([...roles, 'additional-nodes-a-example-com'].sort());
    expect(labels(json, 'aws_iam_instance_profile').sort()).toEqual([...roles].sort());
    for (const plural of ['masters', 'nodes', 'bastions']) {
      const name = `${plural}.a.example.com`;
      const ref = `\${aws_iam_role.${plural}-a-example-com.name}`;
      expect(Testing.toHaveResourceWithProperties(text, 'aws_iam_role', { name, assume_role_policy: EC2_TRUST })).toBe(true);
      expect(Testing.toHaveResourceWithProperties(text, 'aws_iam_role_policy', { name, role: ref })).toBe(true);
      expect(Testing.toHaveResourceWithProperties(text, 'aws_iam_instance_profile', { name, role: ref })).toBe(true);
    }
    const additional = resource(json, 'aws_iam_role_policy', 'additional-nodes-a-example-com');
    expect(additional).toMatchObject({ name: 'additional.nodes.a.example.com', role: '${aws_iam_role.nodes-a-example-com.name}' });
    expect(json.data).toBeUndefined();
    expect(json.import).toBeUndefined();
  });

  it('strict: an empty inline policy is no resource (nodes and bastions here), as kops writes none', async () => {
    const { json } = synth({ plan: await planOf(strictCluster('s.example.com', BASTION)) });
    expect(labels(json, 'aws_iam_role').sort()).toEqual(['bastions-s-example-com', 'masters-s-example-com', 'nodes-s-example-com']);
    expect(labels(json, 'aws_iam_role_policy')).toEqual(['masters-s-example-com']);
    expect(resource(json, 'aws_iam_role', 'bastions-s-example-com').tags).toEqual({
      KubernetesCluster: 's.example.com',
      Name: 'bastions.s.example.com',
      'kubernetes.io/cluster/s.example.com': 'owned',
    });
  });

  it('labels: dots become hyphens; a leading digit gets prefix_ (the OIDC provider of 123.example.com), roles keep theirs', async () => {
    const { json } = synth({ plan: await planOf(strictCluster('123.example.com', irsaSpec())) });
    expect(labels(json, 'aws_iam_openid_connect_provider')).toEqual(['prefix_123-example-com']);
    expect(labels(json, 'aws_iam_role')).toContain('masters-123-example-com');
    expect(labels(json, 'aws_iam_role_policy_attachment')).toEqual([
      `external-myserviceaccount-default-sa-123-example-com-${SA_POLICY_FNV}`,
      `external-myserviceaccount-test-wildcard-sa-123-example-com-${SA_POLICY_FNV}`,
    ]);
  });

  it("attachments: <role key>-policyoverride-<FNV-1a of the ARN> for externalPolicies (kops' externalpolicies case)", async () => {
    const arn = 'arn:aws-test:iam::123456789000:policy/test-policy';
    const spec = `  dnsZone: Z1\n  externalPolicies:\n    control-plane: [${arn}]\n    node: [${arn}]`;
    // kops' own ARN (partition aws-test), in its test region: kops-iam warns about both, and writes them.
    const { json } = synth({ plan: await planOf(strictCluster('x.example.com', spec, 'us-test-1a')) });
    expect(json.resource?.aws_iam_role_policy_attachment).toEqual({
      'master-policyoverride-1544513530': { policy_arn: arn, role: '${aws_iam_role.masters-x-example-com.name}' },
      'node-policyoverride-1544513530': { policy_arn: arn, role: '${aws_iam_role.nodes-x-example-com.name}' },
    });
  });

  it('service accounts: external-<role name>-<FNV> attachments, inline policies only where the spec gives one', async () => {
    const { json } = synth({ plan: await planOf(strictCluster('minimal.example.com', irsaSpec())) });
    const fnv = SA_POLICY_FNV;
    expect(resource(json, 'aws_iam_role_policy_attachment', `external-myserviceaccount-default-sa-minimal-example-com-${fnv}`)).toEqual({
      policy_arn: SA_POLICY_ARN,
      role: '${aws_iam_role.myserviceaccount-default-sa-minimal-example-com.name}',
    });
    expect(labels(json, 'aws_iam_role_policy')).toEqual([
      'masters-minimal-example-com',
      'myotherserviceaccount-myapp-sa-minimal-example-com',
    ]);
    expect(resource(json, 'aws_iam_role', 'myserviceaccount-test-wildcard-sa-minimal-example-com').tags).toMatchObject({
      Name: 'myserviceaccount.test-wildcard.sa.minimal.example.com',
      'service-account.kops.k8s.io/name': 'myserviceaccount',
      'service-account.kops.k8s.io/namespace': 'test-wildcard',
    });
  });

  it('permissionsBoundary goes on every role it creates, instance and service-account roles alike', async () => {
    const boundary = 'arn:aws:iam::123456789012:policy/boundaries';
    const plan = await planOf(strictCluster('b.example.com', irsaSpec(`    permissionsBoundary: ${boundary}`)));
    const { json } = synth({ plan });
    const roles = Object.values(json.resource?.aws_iam_role ?? {});
    expect(roles.length).toBe(5);
    for (const r of roles) expect(r.permissions_boundary).toBe(boundary);
    expect(allValues(json.resource?.aws_iam_instance_profile)).not.toContain(boundary);
  });
});

describe('KopsIamRoles: the OIDC provider and service-account trust', () => {
  it("writes the provider as kops does: issuer URL, audiences in order, S3's root CA thumbprints, the cluster's tags", async () => {
    const { json } = synth({ plan: await planOf(strictCluster('minimal.example.com', irsaSpec())) });
    expect(resource(json, 'aws_iam_openid_connect_provider', 'minimal-example-com')).toEqual({
      url: 'https://discovery-bucket.s3.eu-central-1.amazonaws.com/oidc',
      client_id_list: ['amazonaws.com', 'sts.amazonaws.com'],
      thumbprint_list: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280', 'a9d53002e97e00e043244f3d170d6f4c414104fd'],
      tags: { KubernetesCluster: 'minimal.example.com', Name: 'minimal.example.com', 'kubernetes.io/cluster/minimal.example.com': 'owned' },
    });
  });

  it('trusts the service account through the provider it creates: StringEquals, StringLike for a wildcard namespace', async () => {
    const { json } = synth({ plan: await planOf(strictCluster('minimal.example.com', irsaSpec())) });
    const trust = (label: string) => JSON.parse(String(resource(json, 'aws_iam_role', label).assume_role_policy)) as unknown;
    const host = 'discovery-bucket.s3.eu-central-1.amazonaws.com/oidc';
    const statement = (operator: string, ns: string) => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: '${aws_iam_openid_connect_provider.minimal-example-com.arn}' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { [operator]: { [`${host}:sub`]: `system:serviceaccount:${ns}:myserviceaccount` } },
        },
      ],
    });
    expect(trust('myserviceaccount-default-sa-minimal-example-com')).toEqual(statement('StringEquals', 'default'));
    expect(trust('myserviceaccount-test-wildcard-sa-minimal-example-com')).toEqual(statement('StringLike', 'test-*'));
    expect(json.data).toBeUndefined();
  });

  it("without enableAWSOIDCProvider: no provider; the trust names the account's provider through aws_caller_identity", async () => {
    const spec = irsaSpec().replace('    enableAWSOIDCProvider: true\n', '');
    const { json } = synth({ plan: await planOf(strictCluster('n.example.com', spec)) });
    expect(json.resource?.aws_iam_openid_connect_provider).toBeUndefined();
    expect(json.data).toEqual({ aws_caller_identity: { current: {} } });
    const trust = String(resource(json, 'aws_iam_role', 'myserviceaccount-default-sa-n-example-com').assume_role_policy);
    const arn =
      'arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/discovery-bucket.s3.eu-central-1.amazonaws.com/oidc';
    expect(trust).toContain(`"Federated":"${arn}"`);
  });

  it('exposes each role by subject key, the OIDC provider, and nothing for an existing instance profile', async () => {
    const ig = instanceGroup(
      'minimal.example.com',
      'master-a',
      'Master',
      '  iam:\n    profile: arn:aws:iam::123456789012:instance-profile/m',
    );
    const plan = await planOf(
      yamlStream(strictCluster('minimal.example.com', irsaSpec()), ig, instanceGroup('minimal.example.com', 'nodes', 'Node')),
    );
    let iam: KopsIamRoles | undefined;
    const json = JSON.parse(Testing.synthScope((scope) => (iam = new KopsIamRoles(scope, 'iam', { plan })))) as Json;
    expect([...(iam?.roles.keys() ?? [])]).toEqual([
      'node',
      'sa:default/myserviceaccount',
      'sa:test-*/myserviceaccount',
      'sa:myapp/myotherserviceaccount',
    ]);
    expect(iam?.roles.get('sa:default/myserviceaccount')?.instanceProfileArn).toBe('');
    expect(iam?.oidcProvider).toBeDefined();
    expect(labels(json, 'aws_iam_instance_profile')).toEqual(['nodes-minimal-example-com']);
  });
});

describe('KopsIamRoles: inputs, declared only when a policy refers to them', () => {
  it('a zone given by ID needs nothing; without dnsZone the hosted_zone_id variable', async () => {
    expect(synth({ plan: await planOf(legacyCluster('z.example.com', '  dnsZone: Z1')) }).json.variable).toBeUndefined();
    const { json } = synth({ plan: await planOf(legacyCluster('v.example.com')) });
    expect(json.variable).toEqual({ hosted_zone_id: expect.objectContaining({ type: 'string', nullable: false }) });
    expect(String(resource(json, 'aws_iam_role_policy', 'nodes-v-example-com').policy)).toContain('hostedzone/${var.hosted_zone_id}"');
  });

  it('looks a zone name up with aws_route53_zone, private with topology.dns.type Private', async () => {
    const plan = await planOf(
      legacyCluster('p.example.com', '  dnsZone: internal.example.com\n  topology:\n    dns:\n      type: Private'),
    );
    const { text, json } = synth({ plan });
    expect(Testing.toHaveDataSourceWithProperties(text, 'aws_route53_zone', { name: 'internal.example.com', private_zone: true })).toBe(
      true,
    );
    expect(Object.keys(json.data ?? {})).toEqual(['aws_route53_zone']);
    const policy = String(resource(json, 'aws_iam_role_policy', 'masters-p-example-com').policy);
    expect(policy).toContain('hostedzone/${data.aws_route53_zone.dns-p-example-com.zone_id}"');
  });

  it('looks KMS key ids and aliases up with aws_kms_key and aws_kms_alias', async () => {
    const etcd = [
      '  dnsZone: Z1',
      '  etcdClusters:',
      '  - name: main',
      '    etcdMembers:',
      '    - {name: a, encryptedVolume: true, kmsKeyId: 0987dcba-09fe-47dc-a5ba-ab0987654321}',
      '    - {name: b, encryptedVolume: true, kmsKeyId: alias/etcd}',
    ].join('\n');
    const { text, json } = synth({ plan: await planOf(legacyCluster('k.example.com', etcd)) });
    expect(Testing.toHaveDataSourceWithProperties(text, 'aws_kms_key', { key_id: '0987dcba-09fe-47dc-a5ba-ab0987654321' })).toBe(true);
    expect(Testing.toHaveDataSourceWithProperties(text, 'aws_kms_alias', { name: 'alias/etcd' })).toBe(true);
    const policy = String(resource(json, 'aws_iam_role_policy', 'masters-k-example-com').policy);
    expect(policy).toContain('${data.aws_kms_key.etcd-k-example-com-0987dcba-09fe-47dc-a5ba-ab0987654321.arn}');
    expect(policy).toContain('${data.aws_kms_alias.etcd-k-example-com-alias-etcd.target_key_arn}');
  });
});

describe('KopsIamRoles: manifest text reaches Terraform literally', () => {
  it('escapes IAM policy variables as $${ in Terraform JSON', async () => {
    const statement = '{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}';
    const extra = `  dnsZone: Z1\n  additionalPolicies:\n    node: '[${statement}]'`;
    const { text } = synth({ plan: await planOf(legacyCluster('e.example.com', extra)) });
    const policy =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/$${aws:username}/*"}]}';
    expect(Testing.toHaveResourceWithProperties(text, 'aws_iam_role_policy', { name: 'additional.nodes.e.example.com', policy })).toBe(
      true,
    );
  });

  it('escapes names, ARNs, tags and OIDC settings the plan carries (core checks them; the construct does not rely on it)', async () => {
    const plan = await planOf(strictCluster('minimal.example.com', irsaSpec()));
    const odd = '${var.x}%{if y}';
    const escaped = '$${var.x}%%{if y}';
    const edit = (r: RolePlan): RolePlan =>
      r.type !== 'managed'
        ? r
        : {
            ...r,
            roleName: `${r.roleName}${odd}`,
            permissionsBoundary: odd,
            tags: [[odd, odd]],
            attachments: r.attachments.map(() => ({ arn: odd, source: 'externalPolicies' })),
          };
    const weird: IamPlan = {
      ...plan,
      roles: plan.roles.map(edit),
      oidcProvider: { ...plan.oidcProvider!, url: `https://${odd}`, clientIds: [odd], tags: [[odd, 'TfToken']] },
    };
    const { json } = synth({ plan: weird });
    const role = Object.values(json.resource?.aws_iam_role ?? {}).find((r) => String(r.name).startsWith('masters.'));
    expect(role).toMatchObject({
      name: `masters.minimal.example.com${escaped}`,
      permissions_boundary: escaped,
      tags: { [escaped]: escaped },
    });
    expect(allValues(json.resource?.aws_iam_role_policy_attachment)).toContain(escaped);
    expect(resource(json, 'aws_iam_openid_connect_provider', 'minimal-example-com')).toMatchObject({
      url: `https://${escaped}`,
      client_id_list: [escaped],
    });
  });

  it("writes cdktf's own token markers in manifest text so that cdktf leaves them alone", async () => {
    const plan = await planOf(legacyCluster('t.example.com', '  dnsZone: Z1'));
    const marker = '${TfToken[TOKEN.1]}';
    const withMarker: IamPlan = { ...plan, roles: plan.roles.map((r) => (r.type === 'managed' ? { ...r, tags: [['k', marker]] } : r)) };
    const { json } = synth({ plan: withMarker });
    expect(resource(json, 'aws_iam_role', 'masters-t-example-com').tags).toEqual({ k: '${"$"}{TfToken[TOKEN.1]}' });
  });
});

describe('KopsIamRoles in a stack of the user', () => {
  it('holds two clusters, each scoped to the zone passed as hostedZoneId', async () => {
    const [a, b] = await plansOf(yamlStream(legacyCluster('a.example.com'), legacyCluster('b.example.com', '', 'us-east-1a')));
    const text = Testing.synthScope((scope) => {
      new KopsIamRoles(scope, 'cluster-a', { plan: a!, hostedZoneId: 'ZAAAA' });
      new KopsIamRoles(scope, 'cluster-b', { plan: b!, hostedZoneId: 'ZBBBB' });
    });
    const json = JSON.parse(text) as Json;
    expect(json.variable).toBeUndefined();
    for (const [c, zone, other] of [
      ['a', 'ZAAAA', 'ZBBBB'],
      ['b', 'ZBBBB', 'ZAAAA'],
    ] as const) {
      for (const plural of ['masters', 'nodes']) {
        const policy = String(resource(json, 'aws_iam_role_policy', `${plural}-${c}-example-com`).policy);
        expect(policy).toContain(`"arn:aws:route53:::hostedzone/${zone}"`);
        expect(policy).not.toContain(other);
      }
    }
    expect(labels(json, 'aws_iam_role').sort()).toEqual([
      'masters-a-example-com',
      'masters-b-example-com',
      'nodes-a-example-com',
      'nodes-b-example-com',
    ]);
  });

  it('refuses a second cluster that would share the hosted_zone_id variable', async () => {
    const [a, b] = await plansOf(yamlStream(legacyCluster('a.example.com'), legacyCluster('b.example.com')));
    expect(() =>
      Testing.synthScope((scope) => {
        new KopsIamRoles(scope, 'a', { plan: a! });
        new KopsIamRoles(scope, 'b', { plan: b! });
      }),
    ).toThrow(/var\.hosted_zone_id is already declared.*hostedZoneId/);
  });

  it('refuses the same cluster twice in one stack', async () => {
    const plan = await planOf(legacyCluster('a.example.com', '  dnsZone: Z1'));
    expect(() =>
      Testing.synthScope((scope) => {
        new KopsIamRoles(scope, 'one', { plan });
        new KopsIamRoles(scope, 'two', { plan });
      }),
    ).toThrow(/aws_iam_role\.masters-a-example-com is already declared in stack stack by another KopsIamRoles; is the same cluster/);
  });

  it("lets two clusters share the stack's one aws_caller_identity", async () => {
    const spec = irsaSpec().replace('    enableAWSOIDCProvider: true\n', '');
    const [a, b] = await plansOf(yamlStream(strictCluster('a.example.com', spec), strictCluster('b.example.com', spec)));
    const text = Testing.synthScope((scope) => {
      new KopsIamRoles(scope, 'a', { plan: a! });
      new KopsIamRoles(scope, 'b', { plan: b! });
    });
    const json = JSON.parse(text) as Json;
    expect(json.data).toEqual({ aws_caller_identity: { current: {} } });
    expect(labels(json, 'aws_iam_role')).toContain('myserviceaccount-default-sa-b-example-com');
  });

  it('exposes role and instance profile references to wire into their own resources', async () => {
    const plan = await planOf(legacyCluster('w.example.com', '  dnsZone: Z1'));
    const text = Testing.synthScope((scope) => {
      const node = new KopsIamRoles(scope, 'iam', { plan }).roles.get('node')!;
      new TerraformOutput(scope, 'node_arn', { value: node.roleArn });
      new TerraformOutput(scope, 'node_profile', { value: node.instanceProfileName });
      new TerraformOutput(scope, 'node_profile_arn', { value: node.instanceProfileArn });
    });
    expect((JSON.parse(text) as Json).output).toEqual({
      node_arn: { value: '${aws_iam_role.nodes-w-example-com.arn}' },
      node_profile: { value: '${aws_iam_instance_profile.nodes-w-example-com.name}' },
      node_profile_arn: { value: '${aws_iam_instance_profile.nodes-w-example-com.arn}' },
    });
  });

  it('makes the role tokens when they are first read, once: the command line, which reads none, makes none', async () => {
    const plan = await planOf(legacyCluster('l.example.com', '  dnsZone: Z1'));
    const registry = (globalThis as unknown as { __cdktfTokenMap: { tokenCounter: number } }).__cdktfTokenMap;
    Testing.synthScope((scope) => {
      const iam = new KopsIamRoles(scope, 'iam', { plan });
      const built = registry.tokenCounter;
      const node = iam.roles.get('node')!;
      const arn = node.roleArn;
      const made = registry.tokenCounter;
      expect(made).toBeGreaterThan(built);
      expect([node.roleArn, node.instanceProfileName, registry.tokenCounter]).toEqual([arn, node.instanceProfileName, made]);
      expect(Token.isUnresolved(arn)).toBe(true);
    });
  });

  it('creates no role and no policy for a custom role; its instance profile uses the existing role', async () => {
    const spec = '  dnsZone: Z1\n  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node';
    const plan = await planOf(legacyCluster('c.example.com', spec), '+CustomPoliciesSupport');
    const text = Testing.synthScope((scope) => {
      const node = new KopsIamRoles(scope, 'iam', { plan }).roles.get('node')!;
      for (const [name, value] of Object.entries(node)) new TerraformOutput(scope, name, { value });
    });
    const json = JSON.parse(text) as Json;
    expect(json.output).toEqual({
      roleArn: { value: 'arn:aws:iam::123456789012:role/kops-node' },
      roleName: { value: 'kops-node' },
      instanceProfileName: { value: '${aws_iam_instance_profile.nodes-c-example-com.name}' },
      instanceProfileArn: { value: '${aws_iam_instance_profile.nodes-c-example-com.arn}' },
    });
    expect(labels(json, 'aws_iam_role')).toEqual(['masters-c-example-com']);
    expect(labels(json, 'aws_iam_role_policy')).toEqual(['masters-c-example-com']);
    expect(Testing.toHaveResourceWithProperties(text, 'aws_iam_instance_profile', { name: 'nodes.c.example.com', role: 'kops-node' })).toBe(
      true,
    );
  });

  it('works in a TerraformStack subclass of the user, with Testing.synth', async () => {
    const plan = await planOf(legacyCluster('s.example.com', '  dnsZone: Z1'));
    class MyStack extends TerraformStack {}
    const stack = new MyStack(Testing.app(), 'mine');
    new KopsIamRoles(stack, 'iam', { plan });
    const text = Testing.synth(stack);
    const props = { name: 'masters.s.example.com', role: '${aws_iam_role.masters-s-example-com.name}' };
    expect(Testing.toHaveResourceWithProperties(text, 'aws_iam_role_policy', props)).toBe(true);
  });
});

/** Every string value under a JSON value. */
function allValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(allValues);
}
