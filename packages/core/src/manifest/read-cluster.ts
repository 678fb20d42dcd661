import type { Placed } from '../diagnostics/diagnostic';
import { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import { readAdditionalPolicies } from '../cluster/additional-policies';
import { readBackupStores } from '../cluster/backup-stores';
import { readCloudLabels } from '../cluster/cloud-labels';
import type { ClusterSpec } from '../cluster/cluster-spec';
import { readCustomPolicies } from '../cluster/custom-policies';
import { readExternalPolicies } from '../cluster/external-policies';
import { readFeatures } from '../cluster/features';
import { checkCloudProvider, checkSpecFieldNames } from '../cluster/field-names';
import { generationOf } from '../cluster/generation';
import { readHostedZone } from '../cluster/hosted-zone';
import { readIamSettings } from '../cluster/iam-settings';
import { readEtcdKmsKeys } from '../cluster/kms';
import { readRegion } from '../cluster/region';
import { readServiceAccountIssuer } from '../cluster/service-account-issuer';
import { readStateStores, STATE_STORE_FIELDS, STRICT_STATE_STORE_FIELDS } from '../cluster/state-store';
import { checkCombinations } from '../cluster/combinations';
import type { ActionUse } from '../policy/iam-actions';
import type { ApiVersion } from './classify';
import { readClusterName } from './cluster-name';

/** A Cluster document as read: its name and where, and its spec when it has no error. */
export interface ClusterRead {
  /** The cluster's name; undefined when it has none that can be used (reported). */
  readonly name: string | undefined;
  readonly at: Placed;
  /** The checked spec; undefined when the document has errors (reported). */
  readonly spec: ClusterSpec | undefined;
  /** Every action users wrote, to check against AWS's IAM data (also in a cluster with other errors). */
  readonly actions: readonly ActionUse[];
}

/**
 * Reads and checks a Cluster document, reporting every problem. Problems of its own go to
 * a report of their own first: the cluster is valid when that report has no error.
 */
export function readClusterDocument(
  root: YamlNode,
  apiVersion: ApiVersion,
  flags: ReadonlyMap<string, boolean>,
  report: Report,
): ClusterRead {
  const own = new Report();
  const nameNode = root.at('metadata', 'name');
  const name = readClusterName(nameNode, own);
  const at = { pos: nameNode.pos, path: nameNode.path };
  const specNode = root.get('spec');
  const read = specNode.kind === 'map' ? readSpec(specNode, name, apiVersion, flags, own) : { spec: undefined, actions: [] };
  const spec = read.spec;
  if (specNode.kind !== 'map') {
    const found =
      specNode.kind === 'missing'
        ? 'none'
        : specNode.kind === 'seq'
          ? 'a list'
          : specNode.kind === 'null'
            ? 'an empty value'
            : `the value ${specNode.text()}`;
    own.error('KI112', specNode, `a cluster needs a spec mapping (cloudProvider, subnets, ...), found ${found}`);
  }
  report.merge(own);
  const valid = spec !== undefined && !own.hasErrors && name !== undefined ? { ...spec, name, at } : undefined;
  return { name, at, spec: valid, actions: read.actions };
}

type SpecRead = { readonly spec: Omit<ClusterSpec, 'name' | 'at'> | undefined; readonly actions: readonly ActionUse[] };

function readSpec(
  spec: YamlNode,
  name: string | undefined,
  apiVersion: ApiVersion,
  flags: ReadonlyMap<string, boolean>,
  report: Report,
): SpecRead {
  checkSpecFieldNames(spec, report);
  checkCloudProvider(spec, report);
  // Without a region the rest is still checked (all problems in one run); only the
  // comparisons against the region's partition are skipped.
  const where = readRegion(spec, report);
  const partition = where?.partition;
  const hostedZone = readHostedZone(name ?? '', spec, report);
  const etcdKmsKeys = readEtcdKmsKeys(spec, where, report);
  const additional = readAdditionalPolicies(spec, partition, report);
  const customRoles = readCustomPolicies(spec, partition, flags, report);
  const iam = readIamSettings(spec, partition, report);
  const generation = generationOf(apiVersion, iam.legacy);
  // kops 1.37 reads configBase, keyStore and secretStore; v1alpha2's configStore is unused there.
  const stateStores = readStateStores(spec, generation.kind === 'strict' ? STRICT_STATE_STORE_FIELDS : STATE_STORE_FIELDS, report);
  const features = readFeatures(spec, report);
  const issuer = readServiceAccountIssuer(spec, name ?? '', where, features.ipv6Only, report);
  checkCombinations(spec, { generation, iam, features, hostedZone, issuer, customRoles, additional: additional.byRole }, report);
  const actions = [...additional.actions, ...iam.actions];
  if (where === undefined) return { spec: undefined, actions };
  const checked = {
    ...where,
    generation,
    hostedZone,
    etcdKmsKeys,
    stateStores,
    backupStores: readBackupStores(spec, report),
    additionalPolicies: additional.byRole,
    customRoles,
    externalPolicies: readExternalPolicies(spec, partition, report),
    iam,
    cloudLabels: readCloudLabels(spec, report),
    ...(issuer !== undefined ? { issuer } : {}),
    features,
    bastionTopology: !spec.at('topology', 'bastion').unset && spec.at('topology', 'bastion').scalar() !== false,
    actions,
  };
  return { spec: checked, actions };
}
