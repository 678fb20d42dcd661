import type { Diagnostics } from './diagnostics';
import type { Partition } from './partition';
import type { YamlNode } from './yaml-node';

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
/** What the AWS provider accepts as `key_id` of `data.aws_kms_key`: KMS's UUIDs (version 1-5, RFC variant) or multi-Region ids. */
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
export function readEtcdKmsKeys(spec: YamlNode, partition: Partition | undefined, region: string | undefined, diagnostics: Diagnostics): KmsKey[] {
  const keys = new Map<string, KmsKey>();
  const etcdClusters = spec.get('etcdClusters');
  if (!etcdClusters.unset && etcdClusters.kind !== 'seq') diagnostics.error(etcdClusters.pos, etcdClusters.path, 'must be a list of etcd clusters');
  for (const etcd of etcdClusters.items()) {
    const members = etcd.get('etcdMembers');
    if (!members.unset && members.kind !== 'seq') diagnostics.error(members.pos, members.path, 'must be a list of etcd members');
    for (const member of members.items()) {
      const encrypted = member.get('encryptedVolume');
      const kmsKeyId = member.get('kmsKeyId');
      const isEncrypted = encrypted.scalar() === true;
      if (!encrypted.unset && typeof encrypted.scalar() !== 'boolean') {
        diagnostics.error(encrypted.pos, encrypted.path, 'must be true or false');
        continue;
      }
      if (kmsKeyId.unset) continue;
      const text = kmsKeyId.string();
      if (text === undefined || text === '') {
        diagnostics.error(kmsKeyId.pos, kmsKeyId.path, 'must be a KMS key ARN, key ID or alias');
        continue;
      }
      if (!isEncrypted) {
        diagnostics.error(kmsKeyId.pos, kmsKeyId.path, 'a kmsKeyId needs encryptedVolume: true on the same etcd member; kops would leave the volume unencrypted and ignore the key');
        continue;
      }
      const key = parseKmsKey(text, partition, region, kmsKeyId, diagnostics);
      if (key !== undefined) keys.set(kmsKeyText(key), key);
    }
  }
  return [...keys.values()];
}

/** Parses one key; without a known region (already reported) the partition and region comparisons are skipped. */
function parseKmsKey(text: string, partition: Partition | undefined, region: string | undefined, node: YamlNode, diagnostics: Diagnostics): KmsKey | undefined {
  const arn = KMS_ARN.exec(text);
  if (arn !== null) {
    const [, arnPartition, arnRegion, , type, rest] = arn;
    if (partition !== undefined && arnPartition !== partition.name) {
      diagnostics.error(node.pos, node.path, `the key is in partition '${arnPartition}' but the cluster's region ${region} is in '${partition.name}'`);
      return undefined;
    }
    if (region !== undefined && arnRegion !== region) {
      diagnostics.error(node.pos, node.path, `the key is in region ${arnRegion} but the cluster's etcd volumes are in ${region}; EBS needs a key of the volume's region`);
      return undefined;
    }
    if (type === 'key' && rest !== undefined && KEY_ID.test(rest)) return { kind: 'arn', arn: text };
    if (type === 'alias' && rest !== undefined && ALIAS.test(`alias/${rest}`)) return { kind: 'key-lookup', keyId: text };
  } else if (LOOKUP_KEY_ID.test(text)) {
    return { kind: 'key-lookup', keyId: text };
  } else if (KEY_ID.test(text)) {
    // Shaped like a UUID but not one KMS issues; terraform would reject it only at validate.
    diagnostics.error(node.pos, node.path, `'${text}' is not a KMS key ID: KMS key IDs are UUIDs of version 1-5 (third group starting 1-5, fourth starting 8, 9, a or b), or mrk-<32 hex digits>`);
    return undefined;
  } else if (ALIAS.test(text)) {
    return { kind: 'alias-lookup', alias: text };
  }
  diagnostics.error(node.pos, node.path, `'${text}' is not a KMS key ARN (arn:${partition?.name ?? 'aws'}:kms:${region ?? '<region>'}:<account>:key/<id>), key ID or alias (alias/<name>)`);
  return undefined;
}
