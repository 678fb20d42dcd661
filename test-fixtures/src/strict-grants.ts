/**
 * What kops 1.37 grants, feature by feature, as the tests' own oracle: the action lists of
 * kops' pkg/model/iam/iam_builder.go and the addon IAM files (see /work/notes/kops-addons.md),
 * sorted into how each action is scoped. The matrix turns these into requests with and
 * without the tags that scope them; nothing here reads kops-iam's policies.
 */

/**
 * How a role may use an action: `any` (Resource *, no condition), `tagged` (the resource
 * carries KubernetesCluster=<cluster>), `create` (the request tags the new resource with it),
 * `etcd` (the volume carries the cluster tag and k8s.io/role/master=1, etcd-manager's volumes).
 */
export type Kind = 'any' | 'tagged' | 'create' | 'etcd';

/** A rule for ec2:CreateTags / ec2:DeleteTags, which kops scopes per resource type. */
export interface TagRule {
  /** EC2 resource types (`security-group`, `volume` …), or `*`. */
  readonly types: readonly string[] | '*';
  /**
   * `any`: no condition; `create`: tagging a resource a listed create action makes;
   * `retag`: a resource of the cluster, keeping its cluster tag.
   */
  readonly kind: 'any' | 'create' | 'retag';
  readonly createActions?: readonly string[];
  /** Karpenter's rules also need (request or resource) tag karpenter.sh/nodepool. */
  readonly nodepool?: boolean;
}

/** Everything one role (instance or service account) may do according to kops. */
export interface Expectation {
  readonly actions: Map<string, Set<Kind>>;
  readonly tagRules: TagRule[];
  /** kops' KMS pair: CreateGrant for AWS resources, data actions through EC2/S3 (or directly, `direct`). */
  kms?: { direct: boolean };
  /** dns-controller's Route53 statements; `zone` undefined when the cluster has no hosted zone. */
  dns?: { zone: string | undefined };
  certManagerZones?: readonly string[];
  /** Reads the state store and writes etcd backups (control plane, API servers). */
  s3?: { backups: boolean };
  /** ec2:CreateVolume from a snapshot of the cluster (EBS CSI with snapshots). */
  snapshotVolume?: boolean;
  /** ec2:CreateSecurityGroup in any VPC, with the security group itself request-tagged. */
  vpcSecurityGroup?: boolean;
  karpenter?: { customProfiles: boolean };
}

export function emptyExpectation(): Expectation {
  return { actions: new Map(), tagRules: [] };
}

export function add(e: Expectation, kind: Kind, actions: readonly string[]): void {
  for (const a of actions) e.actions.set(a, new Set([...(e.actions.get(a) ?? []), kind]));
}

/** kops' AddEC2CreateAction: create actions request-tagged, and CreateTags/DeleteTags on those resource types. */
export function ec2Create(e: Expectation, actions: readonly string[], types: readonly string[]): void {
  add(
    e,
    'create',
    actions.map((a) => `ec2:${a}`),
  );
  e.tagRules.push({ types, kind: 'create', createActions: actions }, { types, kind: 'retag' });
  if (actions.includes('CreateSecurityGroup')) e.vpcSecurityGroup = true;
}

export function addKms(e: Expectation, direct: boolean): void {
  e.kms = { direct: direct || e.kms?.direct === true };
}

export function etcdManager(e: Expectation): void {
  add(e, 'any', ['ec2:DescribeInstances', 'ec2:DescribeVolumes']);
  add(e, 'etcd', ['ec2:AttachVolume']);
}

export function kopsController(e: Expectation, ipv6: boolean): void {
  add(e, 'any', ['ec2:DescribeInstances', ...(ipv6 ? ['ec2:DescribeNetworkInterfaces'] : [])]);
}

export function nodeup(e: Expectation, o: { lifecycleHook: boolean; instanceTypes: boolean; ipv6: boolean }): void {
  if (o.lifecycleHook) {
    add(e, 'tagged', ['autoscaling:CompleteLifecycleAction']);
    add(e, 'any', ['autoscaling:DescribeLifecycleHooks']);
  }
  if (o.instanceTypes) add(e, 'any', ['ec2:DescribeInstanceTypes']);
  if (o.ipv6) add(e, 'any', ['ec2:AssignIpv6Addresses']);
}

export function dnsController(e: Expectation, zone: string | undefined): void {
  if (zone !== undefined) e.dns = { zone };
}

export function certManager(e: Expectation, zones: readonly string[]): void {
  e.certManagerZones = zones;
}

export function ecr(e: Expectation): void {
  add(e, 'any', [
    'ecr:GetAuthorizationToken',
    'ecr:BatchCheckLayerAvailability',
    'ecr:GetDownloadUrlForLayer',
    'ecr:GetRepositoryPolicy',
    'ecr:DescribeRepositories',
    'ecr:ListImages',
    'ecr:BatchGetImage',
  ]);
}

export function ecrPullThrough(e: Expectation): void {
  add(e, 'any', ['ecr:ReplicateImage', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository', 'ecr:TagResource']);
}

export function calico(e: Expectation): void {
  add(e, 'any', ['ec2:DescribeInstances', 'ec2:ModifyNetworkInterfaceAttribute']);
}

/** kube-router (nodes, and its service account) and kindnet turn off the source/destination check. */
export function srcDstCheck(e: Expectation): void {
  add(e, 'tagged', ['ec2:ModifyInstanceAttribute']);
}

export function ciliumEni(e: Expectation): void {
  add(e, 'any', [
    'ec2:DescribeSubnets',
    'ec2:AttachNetworkInterface',
    'ec2:AssignPrivateIpAddresses',
    'ec2:UnassignPrivateIpAddresses',
    'ec2:CreateNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSecurityGroups',
    'ec2:DeleteNetworkInterface',
    'ec2:ModifyNetworkInterfaceAttribute',
    'ec2:DescribeVpcs',
    'ec2:DescribeRouteTables',
    'ec2:DescribeTags',
    'ec2:DescribeInstances',
  ]);
  e.tagRules.push({ types: '*', kind: 'any' });
}

export function amazonVpc(e: Expectation): void {
  add(e, 'any', [
    'ec2:AssignPrivateIpAddresses',
    'ec2:AttachNetworkInterface',
    'ec2:CreateNetworkInterface',
    'ec2:DeleteNetworkInterface',
    'ec2:DescribeInstances',
    'ec2:DescribeTags',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeInstanceTypes',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSubnets',
    'ec2:DetachNetworkInterface',
    'ec2:ModifyNetworkInterfaceAttribute',
    'ec2:UnassignPrivateIpAddresses',
  ]);
  e.tagRules.push({ types: ['network-interface'], kind: 'any' });
}
