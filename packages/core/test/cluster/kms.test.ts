import { describe, expect, it } from 'vitest';
import { readEtcdKmsKeys } from '../../src/cluster/kms';
import { partitionOf } from '../../src/cluster/partition';
import { clusterYaml, errorsOf, etcdYaml as etcd, KEY_ARN, load, specOf } from '../helpers';

const KEY_ID = '0987dcba-09fe-47dc-a5ba-ab0987654321';

function keysOf(members: [boolean | undefined, string | undefined][], region: string | null = 'eu-central-1') {
  const { spec, report } = specOf(`spec:\n${etcd(members)}\n`);
  const where = region === null ? undefined : { region, partition: partitionOf(region) };
  const keys = readEtcdKmsKeys(spec, where, report);
  return { keys, diagnostics: report.diagnostics };
}

describe('readEtcdKmsKeys', () => {
  it('reads a multi-Region key id', () => {
    expect(keysOf([[true, 'mrk-0123456789abcdef0123456789abcdef']]).keys).toEqual([
      { kind: 'key-lookup', keyId: 'mrk-0123456789abcdef0123456789abcdef' },
    ]);
  });

  it('reads a key ARN, a key ID and an alias', () => {
    const { keys, diagnostics } = keysOf([
      [true, KEY_ARN],
      [true, KEY_ID],
      [true, 'alias/etcd'],
    ]);
    expect(diagnostics).toEqual([]);
    expect(keys).toEqual([
      { kind: 'arn', arn: KEY_ARN },
      { kind: 'key-lookup', keyId: KEY_ID },
      { kind: 'alias-lookup', alias: 'alias/etcd' },
    ]);
  });

  it('resolves an alias ARN through the key lookup', () => {
    const alias = 'arn:aws:kms:eu-central-1:123456789012:alias/etcd';
    expect(keysOf([[true, alias]]).keys).toEqual([{ kind: 'key-lookup', keyId: alias }]);
  });

  it('lists a key used by several members once', () => {
    expect(
      keysOf([
        [true, KEY_ARN],
        [true, KEY_ARN],
      ]).keys,
    ).toHaveLength(1);
  });

  it('ignores encrypted members without a key and unencrypted members without a key', () => {
    expect(
      keysOf([
        [true, undefined],
        [false, undefined],
        [undefined, undefined],
      ]),
    ).toEqual({ keys: [], diagnostics: [] });
  });

  it.each([[false], [undefined]])('is an error: kmsKeyId with encryptedVolume %s (KI209)', (enc) => {
    const { keys, diagnostics } = keysOf([[enc, KEY_ARN]]);
    expect(keys).toEqual([]);
    expect(errorsOf(diagnostics)).toEqual([
      expect.objectContaining({
        code: 'KI209',
        path: 'spec.etcdClusters[0].etcdMembers[0].kmsKeyId',
        message:
          'a kmsKeyId needs encryptedVolume: true on the same etcd member; kops would leave the volume unencrypted and ignore the key',
      }),
    ]);
  });

  it.each([
    [
      'arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      "the key is in partition 'aws-cn' but the cluster's region eu-central-1 is in 'aws'",
    ],
    [
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      "the key is in region us-east-1 but the cluster's etcd volumes are in eu-central-1; EBS needs a key of the volume's region",
    ],
    ['not-a-key', "'not-a-key' is not a KMS key ARN (arn:aws:kms:eu-central-1:<account>:key/<id>), key ID or alias (alias/<name>)"],
    // UUID-shaped, but not a version 1-5 UUID: no KMS key has it, and the AWS provider rejects it as key_id.
    [
      '0987dcba-09fe-87dc-65ba-ab0987654321',
      /^'0987dcba-09fe-87dc-65ba-ab0987654321' is not a KMS key ID: KMS key IDs are UUIDs of version 1-5/,
    ],
    ['arn:aws:kms:eu-central-1:123456789012:key/nope', /is not a KMS key ARN/],
    ['""', 'must be a KMS key ARN, key ID or alias'],
  ])('rejects %s (KI210)', (key, message) => {
    const errors = errorsOf(keysOf([[true, key]]).diagnostics);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'KI210', message: typeof message === 'string' ? message : expect.stringMatching(message) }),
    ]);
  });

  it('checks shape only when the region is unknown (already reported)', () => {
    const other = 'arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(keysOf([[true, other]], null)).toEqual({ keys: [{ kind: 'arn', arn: other }], diagnostics: [] });
  });

  it('rejects an encryptedVolume that is not a boolean (KI213)', () => {
    const { spec, report } = specOf('spec:\n  etcdClusters:\n  - etcdMembers:\n    - encryptedVolume: "true"\n      kmsKeyId: alias/x\n');
    expect(readEtcdKmsKeys(spec, undefined, report)).toEqual([]);
    expect(errorsOf(report.diagnostics)).toMatchObject([
      { code: 'KI213', path: 'spec.etcdClusters[0].etcdMembers[0].encryptedVolume', message: 'must be true or false' },
    ]);
  });

  it('rejects etcdClusters or etcdMembers that are not lists (KI208)', () => {
    const a = specOf('spec:\n  etcdClusters: main\n');
    readEtcdKmsKeys(a.spec, undefined, a.report);
    expect(a.report.diagnostics).toMatchObject([{ code: 'KI208', path: 'spec.etcdClusters', message: 'must be a list of etcd clusters' }]);
    const b = specOf('spec:\n  etcdClusters:\n  - etcdMembers: {name: a}\n');
    readEtcdKmsKeys(b.spec, undefined, b.report);
    expect(b.report.diagnostics).toMatchObject([
      { code: 'KI208', path: 'spec.etcdClusters[0].etcdMembers', message: 'must be a list of etcd members' },
    ]);
  });

  it('makes a kmsKeyId without encryption fail the whole load', async () => {
    const r = await load(clusterYaml('k.example.com', etcd([[false, KEY_ARN]])));
    expect(r.ok).toBe(false);
    expect(r.clusters).toEqual([]);
  });
});
