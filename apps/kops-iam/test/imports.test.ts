// Adoption (SPEC §11): with importExisting every resource the construct writes gets an
// `import` block with the ID the AWS provider documents for its type; what it does not
// write gets none.
import type { IamPlan } from '@kops-iam/core';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { KopsIamRoles } from '../src/kops-iam-roles';
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

interface Json {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  import?: { id: string; to: string; provider?: string }[];
}

function synth(plan: IamPlan, importExisting = true): Json {
  return JSON.parse(Testing.synthScope((scope) => new KopsIamRoles(scope, 'iam', { plan, importExisting }))) as Json;
}

/** Every resource address of the JSON, sorted. */
function addresses(json: Json): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byLabel]) => Object.keys(byLabel).map((label) => `${type}.${label}`))
    .sort();
}

/** The import IDs by the address they import to. */
function importIds(json: Json): Record<string, string> {
  return Object.fromEntries((json.import ?? []).map((i) => [i.to, i.id]));
}

const POLICY = 'arn:aws:iam::123456789012:policy/extra';
const LEGACY_SPEC = [
  '  dnsZone: Z1',
  '  topology:',
  '    bastion: {}',
  '  additionalPolicies:',
  `    node: '[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]'`,
  '  externalPolicies:',
  `    node: [${POLICY}]`,
].join('\n');

describe('KopsIamRoles with importExisting', () => {
  it('writes no import block by default', async () => {
    expect(synth(await planOf(legacyCluster('a.example.com', LEGACY_SPEC)), false).import).toBeUndefined();
  });

  it('legacy: imports every resource once, by role name, role:policy, profile name and role/ARN', async () => {
    const json = synth(await planOf(legacyCluster('a.example.com', LEGACY_SPEC)));
    expect((json.import ?? []).map((i) => i.to).sort()).toEqual(addresses(json));
    expect(json.import?.every((i) => Object.keys(i).sort().join() === 'id,to')).toBe(true);
    expect(importIds(json)).toEqual({
      'aws_iam_role.masters-a-example-com': 'masters.a.example.com',
      'aws_iam_role_policy.masters-a-example-com': 'masters.a.example.com:masters.a.example.com',
      'aws_iam_instance_profile.masters-a-example-com': 'masters.a.example.com',
      'aws_iam_role.nodes-a-example-com': 'nodes.a.example.com',
      'aws_iam_role_policy.nodes-a-example-com': 'nodes.a.example.com:nodes.a.example.com',
      'aws_iam_role_policy.additional-nodes-a-example-com': 'nodes.a.example.com:additional.nodes.a.example.com',
      'aws_iam_role_policy_attachment.node-policyoverride-1719670147': `nodes.a.example.com/${POLICY}`,
      'aws_iam_instance_profile.nodes-a-example-com': 'nodes.a.example.com',
      'aws_iam_role.bastions-a-example-com': 'bastions.a.example.com',
      'aws_iam_role_policy.bastions-a-example-com': 'bastions.a.example.com:bastions.a.example.com',
      'aws_iam_instance_profile.bastions-a-example-com': 'bastions.a.example.com',
    });
    expect(json.data).toBeUndefined();
  });

  it('strict, IRSA: service-account roles and attachments, and the OIDC provider by its ARN in the caller account', async () => {
    const json = synth(await planOf(strictCluster('minimal.example.com', irsaSpec())));
    expect((json.import ?? []).map((i) => i.to).sort()).toEqual(addresses(json));
    const ids = importIds(json);
    expect(ids['aws_iam_openid_connect_provider.minimal-example-com']).toBe(
      'arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/discovery-bucket.s3.eu-central-1.amazonaws.com/oidc',
    );
    expect(json.data).toEqual({ aws_caller_identity: { current: {} } });
    const sa = 'myserviceaccount.test-wildcard.sa.minimal.example.com';
    expect(ids['aws_iam_role.myserviceaccount-test-wildcard-sa-minimal-example-com']).toBe(sa);
    const attachment = `aws_iam_role_policy_attachment.external-myserviceaccount-test-wildcard-sa-minimal-example-com-${SA_POLICY_FNV}`;
    expect(ids[attachment]).toBe(`${sa}/${SA_POLICY_ARN}`);
    const inline = 'myotherserviceaccount.myapp.sa.minimal.example.com';
    expect(ids['aws_iam_role_policy.myotherserviceaccount-myapp-sa-minimal-example-com']).toBe(`${inline}:${inline}`);
  });

  it("names the provider's ARN in the cluster's partition", async () => {
    const json = synth(await planOf(strictCluster('cn.example.com', irsaSpec().replaceAll('arn:aws:', 'arn:aws-cn:'), 'cn-north-1a')));
    expect(importIds(json)['aws_iam_openid_connect_provider.cn-example-com']).toMatch(/^arn:aws-cn:iam::\$\{data\.aws_caller_identity/);
  });

  it('imports nothing it does not write (a customPolicies role, a spec.iam.profile), but the profile it writes', async () => {
    const profile = '  iam:\n    profile: arn:aws:iam::123456789012:instance-profile/shared-masters';
    const spec = '  dnsZone: Z1\n  customPolicies:\n    node: arn:aws:iam::123456789012:role/kops-node';
    const c = 'e.example.com';
    const plan = await planOf(
      yamlStream(legacyCluster(c, spec), instanceGroup(c, 'm', 'Master', profile), instanceGroup(c, 'n', 'Node')),
      '+CustomPoliciesSupport',
    );
    expect(synth(plan).import).toEqual([{ id: 'nodes.e.example.com', to: 'aws_iam_instance_profile.nodes-e-example-com' }]);
  });

  it('escapes manifest text in import IDs as everywhere else', async () => {
    const plan = await planOf(legacyCluster('t.example.com', '  dnsZone: Z1'));
    const odd: IamPlan = { ...plan, roles: plan.roles.map((r) => (r.type === 'managed' ? { ...r, roleName: `${r.roleName}\${x}` } : r)) };
    const ids = (synth(odd).import ?? []).map((i) => i.id);
    expect(ids).toContain('masters.t.example.com$${x}');
    expect(ids).toContain('masters.t.example.com$${x}:masters.t.example.com');
  });

  it('lets two importing clusters share one aws_caller_identity in a stack of the user', async () => {
    const [a, b] = await plansOf(yamlStream(strictCluster('a.example.com', irsaSpec()), strictCluster('b.example.com', irsaSpec())));
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new KopsIamRoles(scope, 'a', { plan: a!, importExisting: true });
        new KopsIamRoles(scope, 'b', { plan: b!, importExisting: true });
      }),
    ) as Json;
    expect(json.data).toEqual({ aws_caller_identity: { current: {} } });
    expect((json.import ?? []).map((i) => i.to).sort()).toEqual(addresses(json));
  });
});
