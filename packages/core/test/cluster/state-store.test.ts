import { describe, expect, it } from 'vitest';
import { readBackupStores } from '../../src/cluster/backup-stores';
import { absorbChildren, readStateStores, STATE_STORE_FIELDS, STRICT_STATE_STORE_FIELDS } from '../../src/cluster/state-store';
import { errorsOf, specOf } from '../helpers';

function storesOf(body: string, fields: readonly string[] = STATE_STORE_FIELDS) {
  const { spec, report } = specOf(`spec:\n${body}\n`);
  const stores = readStateStores(spec, fields, report);
  return { stores, diagnostics: report.diagnostics };
}

describe('readStateStores', () => {
  it('reads configBase, keyStore, secretStore and configStore (the seed era)', () => {
    const { stores, diagnostics } = storesOf(
      [
        '  configBase: s3://a-bucket/c',
        '  keyStore: s3://b-bucket/k/',
        '  secretStore: s3://c-bucket',
        '  configStore: s3://d-bucket//x//',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(stores).toEqual([
      { bucket: 'a-bucket', prefix: 'c' },
      { bucket: 'b-bucket', prefix: 'k' },
      { bucket: 'c-bucket', prefix: '' },
      { bucket: 'd-bucket', prefix: 'x' },
    ]);
  });

  it('reads no configStore with the fields kops 1.37 reads', () => {
    expect(STRICT_STATE_STORE_FIELDS).toEqual(['configBase', 'keyStore', 'secretStore']);
    expect(storesOf('  configBase: s3://a-bucket/c\n  configStore: s3://d-bucket/x', STRICT_STATE_STORE_FIELDS).stores).toEqual([
      { bucket: 'a-bucket', prefix: 'c' },
    ]);
  });

  it('lets a parent absorb its children, but not a sibling with the same prefix', () => {
    const { stores } = storesOf(
      [
        '  configBase: s3://state/clusters/a.example.com',
        '  keyStore: s3://state/clusters/a.example.com/pki',
        '  secretStore: s3://state/clusters/a.example.com-old',
      ].join('\n'),
    );
    expect(stores).toEqual([
      { bucket: 'state', prefix: 'clusters/a.example.com' },
      { bucket: 'state', prefix: 'clusters/a.example.com-old' },
    ]);
  });

  it('lets a whole bucket absorb every path in it', () => {
    expect(
      absorbChildren([
        { bucket: 'b', prefix: 'x/y' },
        { bucket: 'b', prefix: '' },
        { bucket: 'c', prefix: 'x' },
      ]),
    ).toEqual([
      { bucket: 'b', prefix: '' },
      { bucket: 'c', prefix: 'x' },
    ]);
  });

  it('keeps one copy of the same location', () => {
    expect(storesOf('  configBase: s3://state/p\n  keyStore: s3://state/p/').stores).toEqual([{ bucket: 'state', prefix: 'p' }]);
  });

  it('ignores memfs://', () => {
    expect(storesOf('  configBase: memfs://tests/x\n  keyStore: s3://real-bucket/k')).toEqual({
      stores: [{ bucket: 'real-bucket', prefix: 'k' }],
      diagnostics: [],
    });
  });

  it.each([
    [
      'gs://bucket/x',
      "the 'gs://' scheme is not supported: kops-iam grants state-store access on S3 only; use s3://bucket/path (or memfs:// for no store)",
    ],
    ['file:///tmp/x', /the 'file:\/\/' scheme is not supported/],
    [
      '/local/path',
      "'/local/path' is not supported: a state store is a URL such as s3://bucket/path (kops-iam grants state-store access on S3 only)",
    ],
    ['s3://Bad_Bucket/x', "'Bad_Bucket' is not a valid S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)"],
    ['s3://ab/x', /not a valid S3 bucket name/],
    ['s3://a..b/x', /not a valid S3 bucket name/],
    ['s3://bucket/a*b', 'a state-store path may not contain * or ?, which IAM would read as wildcards'],
    ['s3://bucket/a\\nb', 'a state-store path may not contain control characters (line breaks, tabs, NUL)'],
  ])('rejects %s (KI211)', (value, message) => {
    const errors = errorsOf(storesOf(`  configBase: "${value}"`).diagnostics);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'KI211',
        path: 'spec.configBase',
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      }),
    ]);
  });

  it('rejects a value that is not a string (KI211)', () => {
    expect(errorsOf(storesOf('  keyStore: 42').diagnostics)).toMatchObject([
      { code: 'KI211', path: 'spec.keyStore', message: 'must be a string such as s3://bucket/path' },
    ]);
  });
});

describe('readBackupStores', () => {
  function backups(...lines: string[]) {
    const { spec, report } = specOf(`spec:\n${lines.join('\n')}\n`);
    return { stores: readBackupStores(spec, report), diagnostics: report.diagnostics };
  }

  it("defaults each etcd cluster's store to <configBase>/backups/etcd/<name>, as kops' etcd-manager does", () => {
    const r = backups('  configBase: s3://state/c.example.com/', '  etcdClusters:', '  - name: main', '  - name: events');
    expect(r).toEqual({
      stores: [
        { bucket: 'state', prefix: 'c.example.com/backups/etcd/main' },
        { bucket: 'state', prefix: 'c.example.com/backups/etcd/events' },
      ],
      diagnostics: [],
    });
  });

  it('takes backups.backupStore where written, once per location, and ignores memfs://', () => {
    const r = backups(
      '  configBase: s3://state/c',
      '  etcdClusters:',
      '  - name: main',
      '    backups: {backupStore: s3://backups/main}',
      '  - name: events',
      '    backups: {backupStore: s3://backups/main/}',
      '  - name: cilium',
      '    backups: {backupStore: memfs://x/y}',
    );
    expect(r).toEqual({ stores: [{ bucket: 'backups', prefix: 'main' }], diagnostics: [] });
  });

  it('reports a bad backupStore (KI211) but not again the problems of configBase', () => {
    expect(backups('  etcdClusters:', '  - name: main', '    backups: {backupStore: gs://x/y}').diagnostics).toMatchObject([
      { code: 'KI211', path: 'spec.etcdClusters[0].backups.backupStore' },
    ]);
    expect(backups('  configBase: gs://x/y', '  etcdClusters:', '  - name: main').diagnostics).toEqual([]);
  });

  it('has nothing without configBase or a backupStore', () => {
    expect(backups('  etcdClusters:', '  - name: main')).toEqual({ stores: [], diagnostics: [] });
  });
});
