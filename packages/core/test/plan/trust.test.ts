import { describe, expect, it } from 'vitest';
import { partitionOf } from '../../src/cluster/partition';
import { renderPolicy, renderPolicyText } from '../../src/policy/render';
import { ec2ServicePrincipal, ec2TrustPolicy, webIdentityTrustPolicy } from '../../src/plan/trust';
import { spellRef } from '../helpers';

describe('ec2ServicePrincipal', () => {
  // kops' IAMServiceEC2: `ec2.` + the partition's DNS suffix (/work/notes/kops-terraform.md §7; kops' unit test pins
  // us-east-1, us-gov-east-1 and an unknown region to ec2.amazonaws.com, cn-north-1 to ec2.amazonaws.com.cn).
  it.each([
    ['us-east-1', 'ec2.amazonaws.com'],
    ['us-gov-east-1', 'ec2.amazonaws.com'],
    ['randomunknown-1', 'ec2.amazonaws.com'],
    ['cn-north-1', 'ec2.amazonaws.com.cn'],
    ['cn-northwest-1', 'ec2.amazonaws.com.cn'],
    ['us-iso-east-1', 'ec2.c2s.ic.gov'],
    ['us-isob-east-1', 'ec2.sc2s.sgov.gov'],
  ])('is %s → %s', (region, principal) => {
    expect(ec2ServicePrincipal(partitionOf(region))).toBe(principal);
  });
});

describe('ec2TrustPolicy', () => {
  it("lets EC2 assume the role, as kops' trust policy of every instance role", () => {
    expect(JSON.parse(renderPolicyText(ec2TrustPolicy(partitionOf('eu-west-1')), spellRef))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(renderPolicyText(ec2TrustPolicy(partitionOf('cn-north-1')), spellRef)).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com.cn"},"Action":"sts:AssumeRole"}]}',
    );
  });
});

describe('webIdentityTrustPolicy', () => {
  const issuerHost = 'discovery.example.com/minimal.example.com';

  it("lets a service account's token assume the role, with StringEquals on <issuer>:sub (irsa reference case)", () => {
    expect(
      JSON.parse(renderPolicyText(webIdentityTrustPolicy({ issuerHost, partition: 'aws', providerInPlan: true }, 'myapp', 'sa'), spellRef)),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: '<oidc-provider-arn>' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'discovery.example.com/minimal.example.com:sub': 'system:serviceaccount:myapp:sa' } },
        },
      ],
    });
  });

  it('uses StringLike for a namespace with a wildcard, keeping the * in the subject', () => {
    const doc = webIdentityTrustPolicy({ issuerHost, partition: 'aws', providerInPlan: true }, 'test-*', 'myserviceaccount');
    expect(doc.statements[0]?.condition).toEqual([
      {
        operator: 'StringLike',
        entries: [
          { key: 'discovery.example.com/minimal.example.com:sub', values: ['system:serviceaccount:test-*:myserviceaccount'], list: false },
        ],
      },
    ]);
  });

  it("names the account's provider of the issuer when the plan creates none", () => {
    const parts = renderPolicy(webIdentityTrustPolicy({ issuerHost, partition: 'aws-cn', providerInPlan: false }, 'ns', 'sa'));
    expect(parts.filter((p) => typeof p !== 'string')).toEqual([{ kind: 'account-id' }]);
    expect(
      renderPolicyText(webIdentityTrustPolicy({ issuerHost, partition: 'aws-cn', providerInPlan: false }, 'ns', 'sa'), spellRef),
    ).toContain('"Principal":{"Federated":"arn:aws-cn:iam::<account-id>:oidc-provider/discovery.example.com/minimal.example.com"}');
  });
});
