import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import type { ActionUse } from '../policy/iam-actions';
import { readPolicyValue } from '../policy/policy-value';
import type { Statement } from '../policy/statement';
import { readUserStatements } from '../policy/user-statements';
import { checkIamArn } from './arn';
import type { Partition } from './partition';
import { readBoolean, readText } from './scalars';

/** A service account given its own IAM role by `spec.iam.serviceAccountExternalPermissions`. */
export interface ServiceAccountPermission {
  readonly namespace: string;
  readonly name: string;
  readonly at: Placed;
  /** `aws.inlinePolicy`: statements of the role's inline policy. */
  readonly statements?: readonly Statement[];
  /** `aws.policyARNs`: managed policies attached to the role. */
  readonly policyArns: readonly string[];
}

/** `spec.iam`, read. */
export interface IamSettings {
  /** `legacy` as written: it picks the generation (see generation.ts). */
  readonly legacy?: boolean;
  readonly allowContainerRegistry: boolean;
  readonly permissionsBoundary?: string;
  readonly useServiceAccountExternalPermissions: boolean;
  readonly serviceAccounts: readonly ServiceAccountPermission[];
  /** Actions of inline policies, to check against AWS's IAM data. */
  readonly actions: readonly ActionUse[];
}

/** Kubernetes names: a namespace is a DNS label (kops allows `*` wildcards in it), a service account a DNS subdomain. */
const NAMESPACE = /^[a-z0-9*]([-a-z0-9*]{0,61}[a-z0-9*])?$/;
const SERVICE_ACCOUNT = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Reads `spec.iam`. */
export function readIamSettings(spec: YamlNode, partition: Partition | undefined, report: Report): IamSettings {
  const iam = spec.get('iam');
  if (!iam.unset && iam.kind !== 'map') report.error('KI412', iam, 'must be a mapping (allowContainerRegistry, permissionsBoundary, …)');
  const legacy = readBoolean(iam.get('legacy'), report);
  const boundaryNode = iam.get('permissionsBoundary');
  const boundaryText = readText(boundaryNode, report, 'KI405', 'the ARN of a managed policy');
  const example = `arn:${partition?.name ?? 'aws'}:iam::123456789012:policy/boundary`;
  const takes = 'permissionsBoundary takes the ARN of a managed policy';
  const boundary =
    boundaryText === undefined
      ? undefined
      : checkIamArn(boundaryText, boundaryNode, { type: 'policy', partition, code: 'KI405', takes, example }, report);
  const actions: ActionUse[] = [];
  return {
    ...(legacy !== undefined ? { legacy } : {}),
    allowContainerRegistry: readBoolean(iam.get('allowContainerRegistry'), report) === true,
    ...(boundary !== undefined ? { permissionsBoundary: boundary.arn } : {}),
    useServiceAccountExternalPermissions: readBoolean(iam.get('useServiceAccountExternalPermissions'), report) === true,
    serviceAccounts: readServiceAccounts(iam.get('serviceAccountExternalPermissions'), partition, actions, report),
    actions,
  };
}

function readServiceAccounts(
  list: YamlNode,
  partition: Partition | undefined,
  actions: ActionUse[],
  report: Report,
): ServiceAccountPermission[] {
  if (list.unset) return [];
  if (list.kind !== 'seq') {
    report.error('KI408', list, 'must be a list of service accounts, each with name, namespace and aws (policyARNs or inlinePolicy)');
    return [];
  }
  const out: ServiceAccountPermission[] = [];
  const seen = new Map<string, string>();
  for (const item of list.items()) {
    const sa = readServiceAccount(item, partition, actions, report);
    if (sa === undefined) continue;
    const key = `${sa.namespace}/${sa.name}`;
    const first = seen.get(key);
    if (first !== undefined)
      report.error('KI408', item, `service account ${key} is already given at ${first}; list each service account once`);
    else {
      seen.set(key, item.path);
      out.push(sa);
    }
  }
  return out;
}

function readServiceAccount(
  item: YamlNode,
  partition: Partition | undefined,
  actions: ActionUse[],
  report: Report,
): ServiceAccountPermission | undefined {
  const name = readText(item.get('name'), report, 'KI408', "the service account's name");
  const namespace = readText(item.get('namespace'), report, 'KI408', "the service account's namespace");
  if (item.get('name').unset) report.error('KI408', item.get('name'), 'missing name: the service account the role is for');
  if (item.get('namespace').unset)
    report.error('KI408', item.get('namespace'), "missing namespace: the service account's namespace (* wildcards allowed)");
  if (name !== undefined && !SERVICE_ACCOUNT.test(name)) {
    const why = name.includes('*') ? 'kops allows no wildcard in the name (only in the namespace)' : 'lower-case letters, digits, - and .';
    report.error('KI408', item.get('name'), `'${name}' is not a service account name: ${why}`);
  }
  if (namespace !== undefined && !NAMESPACE.test(namespace))
    report.error('KI408', item.get('namespace'), `'${namespace}' is not a namespace: lower-case letters, digits, - (and * wildcards)`);
  const aws = item.get('aws');
  const inline = aws.get('inlinePolicy');
  const arns = aws.get('policyARNs');
  if (aws.unset)
    report.error('KI408', aws, 'missing aws: give policyARNs (managed policies to attach) or inlinePolicy (a JSON list of statements)');
  else if (inline.unset === arns.unset) {
    report.error(
      'KI408',
      aws,
      inline.unset ? 'give policyARNs or inlinePolicy' : 'give policyARNs or inlinePolicy, not both (as kops requires)',
    );
  }
  const tree = inline.unset ? undefined : readPolicyValue(inline, report);
  const read = tree === undefined ? undefined : readUserStatements(tree, { field: 'serviceAccountExternalPermissions', partition }, report);
  if (read !== undefined) actions.push(...read.actions);
  const policyArns = readPolicyArns(arns, partition, report);
  if (name === undefined || namespace === undefined) return undefined;
  return {
    namespace,
    name,
    at: { pos: item.pos, path: item.path },
    ...(read !== undefined ? { statements: read.statements } : {}),
    policyArns,
  };
}

/** A list of managed-policy ARNs (policyARNs, externalPolicies), each checked; duplicates are an error, as in kops. */
export function readPolicyArns(list: YamlNode, partition: Partition | undefined, report: Report): string[] {
  if (list.unset) return [];
  if (list.kind !== 'seq') {
    report.error('KI406', list, 'must be a list of managed-policy ARNs');
    return [];
  }
  const out: string[] = [];
  const example = `arn:${partition?.name ?? 'aws'}:iam::123456789012:policy/name`;
  for (const item of list.items()) {
    const text = readText(item, report, 'KI406', 'the ARN of a managed policy');
    if (text === undefined) continue;
    const arn = checkIamArn(
      text,
      item,
      { type: 'policy', partition, code: 'KI406', takes: 'this list takes ARNs of managed policies', example },
      report,
    );
    if (arn === undefined) continue;
    if (out.includes(arn.arn)) report.error('KI406', item, `'${arn.arn}' is listed twice; kops refuses duplicate attachments`);
    else out.push(arn.arn);
  }
  return out;
}
