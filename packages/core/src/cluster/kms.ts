import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';
import type { ClusterRegion } from './region';
import { readBoolean } from './scalars';

/**
 * A KMS key that encrypts etcd volumes: a key ARN used as written, or something
 * Terraform resolves to one (a key ID or alias ARN through `aws_kms_key`, an alias
 * name through `aws_kms_alias`).
 */
export type KmsKey =
  | { readonly kind: 'arn'; readonly arn: string }
  | { readonly kind: 'key-lookup'; readonly keyId: string }
  | { readonly kind: 'alias-lookup'; readonly alias: string };

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
/** What the AWS provider accepts as the key id of a KMS key lookup: KMS's UUIDs (version 1-5, RFC variant) or multi-Region ids. */
const LOOKUP_KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ALIAS = /^alias\/[A-Za-z0-9/_-]{1,250}$/;
const KMS_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/** The identity of a key, for de-duplication and for naming its lookup. */
export function kmsKeyText(key: KmsKey): string {
  return key.kind === 'arn' ? key.arn : key.kind === 'key-lookup' ? key.keyId : key.alias;
}

/**
 * Reads the etcd members' `kmsKeyId`s. A key needs `encryptedVolume: true`: kops
 * ignores a key on an unencrypted volume, which hides a mistake, so it is an error here.
 */
export function readEtcdKmsKeys(spec: YamlNode, where: ClusterRegion | undefined, report: Report): KmsKey[] {
  const keys = new Map<string, KmsKey>();
  for (const member of etcdMembers(spec, report)) {
    const encrypted = member.get('encryptedVolume');
    const kmsKeyId = member.get('kmsKeyId');
    const isEncrypted = readBoolean(encrypted, report);
    if (!encrypted.unset && isEncrypted === undefined) continue;
    if (kmsKeyId.unset) continue;
    const text = kmsKeyId.string();
    if (text === undefined || text === '') {
      report.error('KI210', kmsKeyId, 'must be a KMS key ARN, key ID or alias');
      continue;
    }
    if (isEncrypted !== true) {
      const message =
        'a kmsKeyId needs encryptedVolume: true on the same etcd member; kops would leave the volume unencrypted and ignore the key';
      report.error('KI209', kmsKeyId, message);
      continue;
    }
    const key = parseKmsKey(text, where, kmsKeyId, report);
    if (key !== undefined) keys.set(kmsKeyText(key), key);
  }
  return [...keys.values()];
}

/** The members of every etcd cluster; malformed lists are reported and skipped. */
export function etcdMembers(spec: YamlNode, report: Report): YamlNode[] {
  const etcdClusters = spec.get('etcdClusters');
  if (!etcdClusters.unset && etcdClusters.kind !== 'seq') report.error('KI208', etcdClusters, 'must be a list of etcd clusters');
  return etcdClusters.items().flatMap((etcd) => {
    const members = etcd.get('etcdMembers');
    if (!members.unset && members.kind !== 'seq') report.error('KI208', members, 'must be a list of etcd members');
    return members.items();
  });
}

/** Parses one key; without a known region (already reported) the partition and region comparisons are skipped. */
function parseKmsKey(text: string, where: ClusterRegion | undefined, node: YamlNode, report: Report): KmsKey | undefined {
  const partition = where?.partition;
  const region = where?.region;
  const arn = KMS_ARN.exec(text);
  if (arn !== null) {
    const [, arnPartition, arnRegion, , type, rest] = arn;
    if (partition !== undefined && arnPartition !== partition.name) {
      report.error('KI210', node, `the key is in partition '${arnPartition}' but the cluster's region ${region} is in '${partition.name}'`);
      return undefined;
    }
    if (region !== undefined && arnRegion !== region) {
      report.error(
        'KI210',
        node,
        `the key is in region ${arnRegion} but the cluster's etcd volumes are in ${region}; EBS needs a key of the volume's region`,
      );
      return undefined;
    }
    if (type === 'key' && rest !== undefined && KEY_ID.test(rest)) return { kind: 'arn', arn: text };
    if (type === 'alias' && rest !== undefined && ALIAS.test(`alias/${rest}`)) return { kind: 'key-lookup', keyId: text };
  } else if (LOOKUP_KEY_ID.test(text)) {
    return { kind: 'key-lookup', keyId: text };
  } else if (KEY_ID.test(text)) {
    // Shaped like a UUID but not one KMS issues; terraform would reject it only at validate.
    const message =
      `'${text}' is not a KMS key ID: KMS key IDs are UUIDs of version 1-5 (third group starting 1-5, fourth starting 8, 9, ` +
      `` +
      `` +
      `a or b), or mrk-<32 hex digits>`;
    report.error('KI210', node, message);
    return undefined;
  } else if (ALIAS.test(text)) {
    return { kind: 'alias-lookup', alias: text };
  }
  const example = `arn:${partition?.name ?? 'aws'}:kms:${region ?? '<region>'}:<account>:key/<id>`;
  report.error('KI210', node, `'${text}' is not a KMS key ARN (${example}), key ID or alias (alias/<name>)`);
  return undefined;
}
