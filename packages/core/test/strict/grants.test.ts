import { describe, expect, it } from 'vitest';
import { allowStatement, composePolicy, condition, type Contribution } from '../../src/strict/grants';
import { policyJson } from '../helpers';

// kops' Policy.AsJSON (pkg/model/iam/iam_builder.go): its own statements first (those of AddEC2CreateAction among them),
// then the KMS grant rule, KMS data actions via EC2 and S3, unconditional actions, cluster-tagged actions, request-tagged
// create actions and, with ec2:CreateSecurityGroup, that action on any VPC. Action lists are sorted sets.

const ctx = { cluster: 'c.example.com', partition: 'aws', region: 'eu-west-1' };
const compose = (...contributions: Contribution[]) => composePolicy(contributions, ctx);

describe('composePolicy', () => {
  it('is empty when no feature grants anything: kops then writes no inline policy', () => {
    expect(compose()).toEqual({ statements: [] });
    expect(compose({ rule: 'nothing', grants: {} }, { rule: 'empty', grants: { unconditional: [], clusterTagged: [] } })).toEqual({
      statements: [],
    });
  });

  it("writes the buckets in kops' order, each action once and sorted in byte order", () => {
    const doc = compose(
      {
        rule: 'a',
        grants: { clusterTaggedCreate: ['ec2:CreateVolume'], clusterTagged: ['ec2:DeleteVolume'], unconditional: ['ec2:DescribeVolumes'] },
      },
      {
        rule: 'b',
        grants: { unconditional: ['autoscaling:DescribeTags', 'ec2:DescribeVolumes', 'ec2:DescribeInstances'], kms: 'via-service' },
      },
      {
        rule: 'c',
        grants: {
          statements: [allowStatement({ values: ['s3:Get*'], list: true }, { values: ['arn:aws:s3:::b/*'] })],
          clusterTagged: ['ec2:AttachVolume'],
        },
      },
    );
    expect(policyJson(doc).Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:Get*'], Resource: 'arn:aws:s3:::b/*' },
      { Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: '*',
        Condition: { StringLike: { 'kms:ViaService': ['ec2.eu-west-1.amazonaws.com', 's3.*.amazonaws.com'] } },
      },
      { Effect: 'Allow', Action: ['autoscaling:DescribeTags', 'ec2:DescribeInstances', 'ec2:DescribeVolumes'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['ec2:AttachVolume', 'ec2:DeleteVolume'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/KubernetesCluster': 'c.example.com' } },
      },
      {
        Effect: 'Allow',
        Action: ['ec2:CreateVolume'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/KubernetesCluster': 'c.example.com' } },
      },
    ]);
  });

  it('gives kms direct (a kms-plugin of kube-apiserver) the grant rule and the data actions without the ViaService condition', () => {
    expect(policyJson(compose({ rule: 'kms', grants: { kms: 'direct' } })).Statement).toEqual([
      { Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: '*',
      },
    ]);
  });

  it("writes AddEC2CreateAction's tagging rules among the feature's own, its actions in the request-tagged bucket", () => {
    const doc = compose({ rule: 'ccm', grants: { ec2Create: { actions: ['CreateSecurityGroup'], resourceTypes: ['security-group'] } } });
    expect(policyJson(doc).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: ['arn:aws:ec2:*:*:security-group/*'],
        Condition: { StringEquals: { 'aws:RequestTag/KubernetesCluster': 'c.example.com', 'ec2:CreateAction': ['CreateSecurityGroup'] } },
      },
      {
        Effect: 'Allow',
        Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
        Resource: ['arn:aws:ec2:*:*:security-group/*'],
        Condition: {
          Null: { 'aws:RequestTag/KubernetesCluster': 'true' },
          StringEquals: { 'aws:ResourceTag/KubernetesCluster': 'c.example.com' },
        },
      },
      {
        Effect: 'Allow',
        Action: ['ec2:CreateSecurityGroup'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/KubernetesCluster': 'c.example.com' } },
      },
      // Security groups are created in a VPC, which takes no request tags.
      { Effect: 'Allow', Action: 'ec2:CreateSecurityGroup', Resource: 'arn:aws:ec2:*:*:vpc/*' },
    ]);
  });

  it('writes the tagging rules of one EC2 create rule once when two features ask for it (cloud controller and LB controller)', () => {
    const sg = { actions: ['CreateSecurityGroup'], resourceTypes: ['security-group'] };
    const doc = compose({ rule: 'ccm', grants: { ec2Create: sg } }, { rule: 'lbc', grants: { ec2Create: sg } });
    expect(policyJson(doc).Statement.map((s) => s.Action)).toEqual([
      'ec2:CreateTags',
      ['ec2:CreateTags', 'ec2:DeleteTags'],
      ['ec2:CreateSecurityGroup'],
      'ec2:CreateSecurityGroup',
    ]);
    // Rules with other actions on the same resources are kept apart (EBS snapshots and volumes).
    const ebs = compose(
      { rule: 'snap', grants: { ec2Create: { actions: ['CreateSnapshot'], resourceTypes: ['volume', 'snapshot'] } } },
      { rule: 'csi', grants: { ec2Create: { actions: ['CopyVolumes', 'CreateVolume'], resourceTypes: ['volume', 'snapshot'] } } },
    );
    expect(
      policyJson(ebs)
        .Statement.filter((s) => s.Action === 'ec2:CreateTags')
        .map((s) => s.Condition?.StringEquals?.['ec2:CreateAction']),
    ).toEqual([['CreateSnapshot'], ['CopyVolumes', 'CreateVolume']]);
  });

  it('sets the origin of every statement to the features behind it', () => {
    const doc = compose(
      {
        rule: 'etcd',
        grants: { unconditional: ['ec2:DescribeVolumes'], statements: [allowStatement({ values: ['a:B'] }, { values: ['*'] })] },
      },
      { rule: 'nodeup', grants: { unconditional: ['ec2:DescribeInstances'] } },
    );
    expect(doc.statements.map((s) => s.origin)).toEqual([
      { source: 'kops', rule: 'etcd' },
      { source: 'kops', rule: 'etcd, nodeup' },
    ]);
  });

  it('uses the partition in the ARNs it writes', () => {
    const doc = composePolicy([{ rule: 'x', grants: { ec2Create: { actions: ['CreateVolume'], resourceTypes: ['volume'] } } }], {
      ...ctx,
      partition: 'aws-cn',
    });
    expect(policyJson(doc).Statement[0]?.Resource).toEqual(['arn:aws-cn:ec2:*:*:volume/*']);
  });
});

describe('condition', () => {
  it('writes one value as a string and a list as a list, in the order given', () => {
    expect(condition('StringEquals', { a: 'x', b: ['y'] })).toEqual({
      operator: 'StringEquals',
      entries: [
        { key: 'a', values: ['x'], list: false },
        { key: 'b', values: ['y'], list: true },
      ],
    });
  });
});
