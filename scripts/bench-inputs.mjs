// Deterministic inputs for scripts/bench.mjs: realistic kops clusters as `kops get --name X -o yaml`
// prints them (kops.k8s.io/v1alpha2 Cluster plus master, node and bastion InstanceGroups) in two
// shapes, and the plain-JS cdktf app that stands for "the common way":
// - clusterYaml: a private cluster with an etcd KMS key, an S3 state store and additionalPolicies;
// - manyAddonsClusterYaml: the strict generation with many addons on the instance roles (IRSA off),
//   permissionsBoundary, externalPolicies, cloudLabels, a serviceAccountExternalPermissions role and
//   an OIDC provider for its discovery store: the most IAM kops-iam writes for one cluster.

const REGIONS = ['us-east-1', 'eu-central-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'];

/** A key UUID derived from the cluster index (fixed 12-digit account): the same input every run. */
function keyUuid(i) {
  const hex = (n, width) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
  const [a, b, c, d] = [hex(0x1234abcd + i * 2654435761, 8), hex(i, 4), hex(i * 7, 3), hex(i * 13, 3)];
  return `${a}-${b}-4${c}-8${d}-${hex(0xc0ffee00 + i, 8)}${hex(i * 31, 4)}`;
}

/** One cluster's manifests (Cluster + 3 InstanceGroups), as YAML text. */
export function clusterYaml(i) {
  const name = `c${String(i).padStart(4, '0')}.prod.example.com`;
  const region = REGIONS[i % REGIONS.length];
  const zone = `${region}a`;
  const kmsArn = `arn:aws:kms:${region}:123456789012:key/${keyUuid(i)}`;
  return `apiVersion: kops.k8s.io/v1alpha2
kind: Cluster
metadata:
  creationTimestamp: "2024-03-01T10:00:00Z"
  name: ${name}
spec:
  api:
    dns: {}
  authorization:
    rbac: {}
  channel: stable
  cloudProvider: aws
  configBase: s3://kops-state-example-com/${name}
  dnsZone: prod.example.com
  etcdClusters:
  - cpuRequest: 200m
    etcdMembers:
    - encryptedVolume: true
      instanceGroup: master-${zone}
      kmsKeyId: ${kmsArn}
      name: a
    memoryRequest: 100Mi
    name: main
  - cpuRequest: 100m
    etcdMembers:
    - encryptedVolume: true
      instanceGroup: master-${zone}
      kmsKeyId: ${kmsArn}
      name: a
    memoryRequest: 100Mi
    name: events
  iam:
    allowContainerRegistry: true
    legacy: false
  kubelet:
    anonymousAuth: false
  kubernetesApiAccess:
  - 0.0.0.0/0
  kubernetesVersion: 1.29.3
  masterPublicName: api.${name}
  networkCIDR: 172.20.0.0/16
  networking:
    cilium:
      enableNodePort: true
  nonMasqueradeCIDR: 100.64.0.0/10
  sshAccess:
  - 0.0.0.0/0
  subnets:
  - cidr: 172.20.32.0/19
    name: ${zone}
    type: Private
    zone: ${zone}
  - cidr: 172.20.0.0/22
    name: utility-${zone}
    type: Utility
    zone: ${zone}
  topology:
    bastion:
      bastionPublicName: bastion.${name}
    dns:
      type: Public
    masters: private
    nodes: private
  additionalPolicies:
    node: |
      [
        {
          "Effect": "Allow",
          "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
          "Resource": ["arn:aws:dynamodb:${region}:123456789012:table/${name.replace(/\./g, '-')}-*"]
        },
        {
          "Effect": "Allow",
          "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueUrl"],
          "Resource": ["*"]
        }
      ]
${instanceGroup(name, `master-${zone}`, 'Master', 'm6i.large', 1, 1, zone)}\
${instanceGroup(name, `nodes-${zone}`, 'Node', 'm6i.xlarge', 2, 10, zone)}\
${instanceGroup(name, 'bastions', 'Bastion', 't3.micro', 1, 1, `utility-${zone}`)}`;
}

/** An InstanceGroup document of the cluster, as `kops get -o yaml` prints it (starts with `---`). */
function instanceGroup(cluster, name, role, machineType, minSize, maxSize, subnet) {
  return `---
apiVersion: kops.k8s.io/v1alpha2
kind: InstanceGroup
metadata:
  creationTimestamp: "2024-03-01T10:00:00Z"
  labels:
    kops.k8s.io/cluster: ${cluster}
  name: ${name}
spec:
  image: 099720109477/ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240301
  machineType: ${machineType}
  maxSize: ${maxSize}
  minSize: ${minSize}
  role: ${role}
  subnets:
  - ${subnet}
`;
}

/** One strict cluster with many addons (Cluster + 3 InstanceGroups), as YAML text. */
export function manyAddonsClusterYaml(i) {
  const name = `a${String(i).padStart(4, '0')}.addons.example.com`;
  const region = REGIONS[i % REGIONS.length];
  const zone = `${region}a`;
  const account = '123456789012';
  return `apiVersion: kops.k8s.io/v1alpha2
kind: Cluster
metadata:
  creationTimestamp: "2024-03-01T10:00:00Z"
  name: ${name}
spec:
  api:
    dns: {}
  authorization:
    rbac: {}
  awsLoadBalancerController:
    enabled: true
  certManager:
    enabled: true
  channel: stable
  cloudConfig:
    awsEBSCSIDriver:
      enabled: true
  cloudLabels:
    Owner: platform-team
    cost-center: "4711"
  cloudProvider: aws
  clusterAutoscaler:
    enabled: true
  configBase: s3://kops-state-example-com/${name}
  dnsZone: addons.example.com
  etcdClusters:
  - etcdMembers:
    - encryptedVolume: true
      instanceGroup: master-${zone}
      kmsKeyId: arn:aws:kms:${region}:${account}:key/${keyUuid(i)}
      name: a
    name: main
  - etcdMembers:
    - encryptedVolume: true
      instanceGroup: master-${zone}
      name: a
    name: events
  externalPolicies:
    master:
    - arn:aws:iam::${account}:policy/kops-master-extra
    node:
    - arn:aws:iam::${account}:policy/kops-node-extra
    - arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore
  iam:
    allowContainerRegistry: true
    legacy: false
    permissionsBoundary: arn:aws:iam::${account}:policy/kops-boundary
    serviceAccountExternalPermissions:
    - name: payments
      namespace: shop
      aws:
        policyARNs:
        - arn:aws:iam::${account}:policy/payments-queue
  kubeAPIServer:
    serviceAccountIssuer: https://kops-oidc-example-com.s3.${region}.amazonaws.com/${name}
  kubelet:
    anonymousAuth: false
  kubernetesApiAccess:
  - 0.0.0.0/0
  kubernetesVersion: 1.32.0
  masterPublicName: api.${name}
  networkCIDR: 172.20.0.0/16
  networking:
    amazonvpc: {}
  nodeTerminationHandler:
    enabled: true
  nonMasqueradeCIDR: 172.20.0.0/16
  serviceAccountIssuerDiscovery:
    discoveryStore: s3://kops-oidc-example-com/${name}
    enableAWSOIDCProvider: true
  snapshotController:
    enabled: true
  sshAccess:
  - 0.0.0.0/0
  subnets:
  - cidr: 172.20.32.0/19
    name: ${zone}
    type: Private
    zone: ${zone}
  - cidr: 172.20.0.0/22
    name: utility-${zone}
    type: Utility
    zone: ${zone}
  topology:
    bastion:
      bastionPublicName: bastion.${name}
    dns:
      type: Public
    masters: private
    nodes: private
${instanceGroup(name, `master-${zone}`, 'Master', 'm6i.large', 1, 1, zone)}\
${instanceGroup(name, `nodes-${zone}`, 'Node', 'm6i.xlarge', 2, 10, zone)}\
${instanceGroup(name, 'bastions', 'Bastion', 't3.micro', 1, 1, `utility-${zone}`)}`;
}

/** `count` distinct clusters of one shape (clusterYaml by default) in one multi-document file. */
export function clustersYaml(count, shape = clusterYaml) {
  const parts = [];
  for (let i = 0; i < count; i += 1) parts.push(shape(i));
  return parts.join('---\n');
}

/**
 * "The common way": a plain cdktf app that requires the provider package root and
 * synthesizes the same resource kinds (an IAM role, its inline policy and an instance
 * profile per role) for one cluster.
 */
export const COMMON_WAY_APP = `'use strict';
const { App, TerraformStack } = require('cdktf');
const aws = require('@cdktf/provider-aws');

const app = new App({ outdir: process.argv[2] });
const stack = new TerraformStack(app, 'c0000-prod-example-com');
new aws.provider.AwsProvider(stack, 'aws', { region: 'us-east-1' });
const assume = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
for (const role of ['masters', 'nodes', 'bastions']) {
  const name = role + '.c0000.prod.example.com';
  const r = new aws.iamRole.IamRole(stack, 'role-' + role, { name, assumeRolePolicy: assume });
  new aws.iamRolePolicy.IamRolePolicy(stack, 'policy-' + role, {
    name,
    role: r.name,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeRegions'], Resource: ['*'] }],
    }),
  });
  new aws.iamInstanceProfile.IamInstanceProfile(stack, 'profile-' + role, { name, role: r.name });
}
app.synth();
`;
