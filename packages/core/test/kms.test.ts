import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/diagnostics';
import { readEtcdKmsKeys } from '../src/kms';
import { partitionOf } from '../src/partition';
import { renderPolicy } from '../src/policy';
import { terraformExpression, type IamPlan } from '../src/plan';
import { KMS_ACTIONS } from '../src/role-policies';
import { clusterYaml, errorsOf, load, loadOne, specOf } from './helpers';

const KEY_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ID = '0987dcba-09fe-47dc-a5ba-ab0987654321';

/** An etcdClusters block with one member per [encryptedVolume, kmsKeyId] pair. */
function etcd(members: [boolean | undefined, string | undefined][]): string {
  const lines = ['  etcdClusters:', '  - name: main', '    etcdMembers:'];
  members.forEach(([enc, key], i) => {
    lines.push(`    - name: m${i}`);
    if (enc !== undefined) lines.push(`      encryptedVolume: ${enc}`);
    if (key !== undefined) lines.push(`      kmsKeyId: ${key}`);
  });
  return lines.join('\n');
}

function keysOf(members: [boolean | undefined, string | undefined][], region = 'eu-central-1') {
  const { spec } = specOf(`spec:\n${etcd(members)}\n`);
  const diagnostics = new Diagnostics();
  const keys = readEtcdKmsKeys(spec, partitionOf(region), region, diagnostics);
  return { keys, diagnostics: diagnostics.list() };
}

function kmsStatement(plan: IamPlan, role: string): { Action: unknown; Resource: unknown } | undefined {
  const r = plan.roles.find((x) => x.role === role)!;
  const json = JSON.parse(renderPolicy(r.policy!, (ref) => terraformExpression(plan, ref))) as { Statement: { Sid: string; Action: unknown; Resource: unknown }[] };
  return json.Statement.find((s) => s.Sid === 'EtcdVolumeKMS');
}

describe('readEtcdKmsKeys', () => {
  it('reads a multi-Region key id', () => {
    expect(keysOf([[true, 'mrk-0123456789abcdef0123456789abcdef']]).keys).toEqual([{ kind: 'key-lookup', keyId: 'mrk-0123456789abcdef0123456789abcdef' }]);
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
    expect(keysOf([[true, KEY_ARN], [true, KEY_ARN]]).keys).toHaveLength(1);
  });

  it('ignores encrypted members without a key and unencrypted members without a key', () => {
    expect(keysOf([[true, undefined], [false, undefined], [undefined, undefined]])).toEqual({ keys: [], diagnostics: [] });
  });

  it.each([[false], [undefined]])('is an error: kmsKeyId with encryptedVolume %s', (enc) => {
    const { keys, diagnostics } = keysOf([[enc, KEY_ARN]]);
    expect(keys).toEqual([]);
    const errors = errorsOf(diagnostics);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('spec.etcdClusters[0].etcdMembers[0].kmsKeyId');
    expect(errors[0]!.message).toMatch(/encryptedVolume: true/);
  });

  it.each([
    ['arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', /partition 'aws-cn'/],
    ['arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', /region us-east-1/],
    ['not-a-key', /is not a KMS key ARN/],
    // UUID-shaped, but not a version 1-5 UUID: no KMS key has it, and the AWS provider rejects it as key_id.
    ['0987dcba-09fe-87dc-65ba-ab0987654321', /is not a KMS key ID: KMS key IDs are UUIDs of version 1-5/],
    ['arn:aws:kms:eu-central-1:123456789012:key/nope', /is not a KMS key ARN/],
  ])('rejects %s', (key, message) => {
    const errors = errorsOf(keysOf([[true, key]]).diagnostics);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(message);
  });

  it('rejects an encryptedVolume that is not a boolean', () => {
    const { spec } = specOf('spec:\n  etcdClusters:\n  - etcdMembers:\n    - encryptedVolume: "true"\n      kmsKeyId: alias/x\n');
    const d = new Diagnostics();
    readEtcdKmsKeys(spec, partitionOf('eu-central-1'), 'eu-central-1', d);
    expect(errorsOf(d.list())[0]).toMatchObject({ path: 'spec.etcdClusters[0].etcdMembers[0].encryptedVolume' });
  });
});

describe('the EtcdVolumeKMS statement', () => {
  it('is absent without keys', async () => {
    const { plan } = await loadOne(clusterYaml('k.example.com', etcd([[true, undefined]])));
    expect(kmsStatement(plan, 'master')).toBeUndefined();
  });

  it('grants the KMS actions on exactly the configured keys, to masters only', async () => {
    const { plan } = await loadOne(clusterYaml('k.example.com', etcd([[true, KEY_ARN], [true, KEY_ID], [true, 'alias/etcd-main']])));
    const s = kmsStatement(plan, 'master')!;
    expect(s.Action).toEqual([...KMS_ACTIONS]);
    expect(s.Resource).toEqual([
      KEY_ARN,
      `\${data.aws_kms_key.etcd-k-example-com-${KEY_ID}.arn}`,
      '${data.aws_kms_alias.etcd-k-example-com-alias-etcd-main.target_key_arn}',
    ]);
    expect(kmsStatement(plan, 'node')).toBeUndefined();
    expect(plan.inputs).toEqual(
      expect.arrayContaining([
        { kind: 'kms-key-lookup', id: `etcd-k-example-com-${KEY_ID}`, keyId: KEY_ID },
        { kind: 'kms-alias-lookup', id: 'etcd-k-example-com-alias-etcd-main', alias: 'alias/etcd-main' },
      ]),
    );
  });

  it('keeps an alias ARN and an alias name with the same name apart', async () => {
    const aliasArn = 'arn:aws:kms:eu-central-1:210987654321:alias/etcd';
    const { plan } = await loadOne(clusterYaml('k.example.com', etcd([[true, aliasArn], [true, 'alias/etcd']])));
    const kmsInputs = plan.inputs.filter((i) => i.kind === 'kms-key-lookup' || i.kind === 'kms-alias-lookup');
    expect(kmsInputs).toHaveLength(2);
    expect(new Set(kmsInputs.map((i) => i.id)).size).toBe(2);
    const resources = kmsStatement(plan, 'master')!.Resource as string[];
    expect(resources).toHaveLength(2);
    expect(resources[0]).toMatch(/^\$\{data\.aws_kms_key\.[^.]+\.arn\}$/);
    expect(resources[1]).toMatch(/^\$\{data\.aws_kms_alias\.[^.]+\.target_key_arn\}$/);
  });

  it('makes a kmsKeyId without encryption fail the whole load', async () => {
    const r = await load(clusterYaml('k.example.com', etcd([[false, KEY_ARN]])));
    expect(r.ok).toBe(false);
    expect(r.clusters).toEqual([]);
  });
});
