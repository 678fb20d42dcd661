import { describe, expect, it } from 'vitest';
import { absorbChildren, readStateStores } from '../src/state-store';
import { renderPolicy } from '../src/policy';
import { terraformExpression } from '../src/plan';
import { clusterYaml, errorsOf, loadOne, specOf } from './helpers';

function storesOf(body: string) {
  const { spec, diagnostics } = specOf(`spec:\n${body}\n`);
  const stores = readStateStores(spec, diagnostics);
  return { stores, diagnostics: diagnostics.list() };
}

describe('readStateStores', () => {
  it('reads configBase, keyStore, secretStore and configStore', () => {
    const { stores, diagnostics } = storesOf(
      ['  configBase: s3://a-bucket/c', '  keyStore: s3://b-bucket/k/', '  secretStore: s3://c-bucket', '  configStore: s3://d-bucket//x//'].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(stores).toEqual([
      { bucket: 'a-bucket', prefix: 'c' },
      { bucket: 'b-bucket', prefix: 'k' },
      { bucket: 'c-bucket', prefix: '' },
      { bucket: 'd-bucket', prefix: 'x' },
    ]);
  });

  it('lets a parent absorb its children, but not a sibling with the same prefix', () => {
    const { stores } = storesOf(
      ['  configBase: s3://state/clusters/a.example.com', '  keyStore: s3://state/clusters/a.example.com/pki', '  secretStore: s3://state/clusters/a.example.com-old'].join('\n'),
    );
    expect(stores).toEqual([
      { bucket: 'state', prefix: 'clusters/a.example.com' },
      { bucket: 'state', prefix: 'clusters/a.example.com-old' },
    ]);
  });

  it('lets a whole bucket absorb every path in it', () => {
    expect(absorbChildren([{ bucket: 'b', prefix: 'x/y' }, { bucket: 'b', prefix: '' }, { bucket: 'c', prefix: 'x' }])).toEqual([
      { bucket: 'b', prefix: '' },
      { bucket: 'c', prefix: 'x' },
    ]);
  });

  it('keeps one copy of the same location', () => {
    expect(storesOf('  configBase: s3://state/p\n  keyStore: s3://state/p/').stores).toEqual([{ bucket: 'state', prefix: 'p' }]);
  });

  it('ignores memfs://', () => {
    expect(storesOf('  configBase: memfs://tests/x\n  keyStore: s3://real-bucket/k')).toEqual({ stores: [{ bucket: 'real-bucket', prefix: 'k' }], diagnostics: [] });
  });

  it.each([
    ['gs://bucket/x', /the 'gs:\/\/' scheme is not supported/],
    ['file:///tmp/x', /the 'file:\/\/' scheme is not supported/],
    ['/local/path', /is not supported/],
    ['s3://Bad_Bucket/x', /not a valid S3 bucket name/],
    ['s3://ab/x', /not a valid S3 bucket name/],
    ['s3://bucket/a*b', /may not contain \* or \?/],
  ])('rejects %s', (value, message) => {
    const errors = errorsOf(storesOf(`  configBase: "${value}"`).diagnostics);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('spec.configBase');
    expect(errors[0]!.message).toMatch(message);
  });

  it('rejects a value that is not a string', () => {
    expect(errorsOf(storesOf('  keyStore: 42').diagnostics)[0]).toMatchObject({ path: 'spec.keyStore' });
  });
});

describe('state-store statements', () => {
  it('grant s3:* on each path and path/* (a whole-bucket store: its objects only), and bucket reads on each bucket, to masters and nodes', async () => {
    const extra = ['  configBase: s3://state/clusters/s.example.com', '  keyStore: s3://state/clusters/s.example.com/pki', '  configStore: s3://other-bucket'].join('\n');
    const { plan } = await loadOne(clusterYaml('s.example.com', extra));
    for (const role of plan.roles) {
      const json = JSON.parse(renderPolicy(role.policy!, (ref) => terraformExpression(plan, ref))) as { Statement: { Sid: string; Action: unknown; Resource: unknown }[] };
      const bySid = new Map(json.Statement.map((s) => [s.Sid, s]));
      expect(bySid.get('StateStore')).toMatchObject({
        Action: 's3:*',
        Resource: ['arn:aws:s3:::other-bucket/*', 'arn:aws:s3:::state/clusters/s.example.com', 'arn:aws:s3:::state/clusters/s.example.com/*'],
      });
      expect(bySid.get('StateStoreBuckets')).toMatchObject({
        Action: ['s3:GetBucketLocation', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::other-bucket', 'arn:aws:s3:::state'],
      });
    }
  });

  it('are absent with no state store (or only memfs)', async () => {
    const { plan } = await loadOne(clusterYaml('s.example.com', '  configBase: memfs://x/y'));
    for (const role of plan.roles) expect(role.policy!.statements.map((s) => s.sid)).not.toContain('StateStore');
  });
});
