import { allowedIf, type Row, type World } from './matrix-row';
import { at, clusterDocument } from './strict-settings';
import type { Expectation } from './strict-grants';

/** An S3 location: a bucket and a key prefix without slashes at either end ('' for the whole bucket). */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

/** Where kops keeps a strict cluster's state (read by control plane and API servers) and etcd backups (written by the control plane). */
export interface StateLocations {
  readonly reads: readonly S3Location[];
  readonly backups: readonly S3Location[];
}

function s3(url: unknown): S3Location | undefined {
  const m = typeof url === 'string' ? /^s3:\/\/([^/]+)\/?(.*)$/.exec(url) : null;
  return m === null ? undefined : { bucket: m[1] ?? '', prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

const inside = (l: S3Location, parent: S3Location) =>
  l.bucket === parent.bucket && (parent.prefix === '' || l.prefix === parent.prefix || l.prefix.startsWith(`${parent.prefix}/`));

/**
 * kops' AddS3Permissions roots (configBase, keyStore, secretStore, parents absorbing children)
 * and WriteableVFSPaths (each etcd cluster's backupStore, kops' default being
 * `<configBase>/backups/etcd/<etcd cluster>`), read from the manifest; memfs:// is skipped.
 */
export function stateLocations(docs: readonly unknown[], cluster: string): StateLocations {
  const spec = clusterDocument(docs, cluster);
  const configBase = at(spec, 'configBase');
  const found = ['configBase', 'keyStore', 'secretStore'].map((f) => s3(at(spec, f))).filter((l): l is S3Location => l !== undefined);
  const reads = found.filter((l, i) => !found.some((p, j) => j !== i && inside(l, p) && !(inside(p, l) && j > i)));
  const etcd = at(spec, 'etcdClusters');
  const backups = (Array.isArray(etcd) ? etcd : []).flatMap((c: unknown) => {
    const store = at(c, 'backups', 'backupStore');
    const location =
      typeof store === 'string' && store !== '' ? s3(store) : s3(`${String(configBase)}/backups/etcd/${String(at(c, 'name'))}`);
    return location === undefined ? [] : [location];
  });
  return { reads, backups };
}

/** The S3 rows: what the role may read and write under the state store and backups, and that nothing beside them is reachable. */
export function s3Rows(e: Expectation, w: World, loc: StateLocations): Row[] {
  const arn = (path: string) => `arn:${w.partition}:s3:::${path}`;
  const under = (l: S3Location, key: string) => (l.prefix === '' ? `${l.bucket}/${key}` : `${l.bucket}/${l.prefix}/${key}`);
  const reads = e.s3 !== undefined;
  const writes = e.s3?.backups === true;
  const rows: Row[] = [];
  const add = (action: string, path: string, allowed: boolean, why: string) =>
    rows.push({ request: { action, resource: path === '*' ? '*' : arn(path) }, expected: allowedIf(allowed), why });
  for (const l of loc.reads) {
    const backup = loc.backups.some((b) => inside({ bucket: l.bucket, prefix: under(l, 'config').slice(l.bucket.length + 1) }, b));
    add('s3:GetObject', under(l, 'config'), reads, 'read the state store');
    add('s3:GetObjectVersion', under(l, 'pki/private/kubernetes-ca/keyset.yaml'), reads, 'read the state store (s3:Get*)');
    add('s3:PutObject', under(l, 'config'), writes && backup, 'the state store is read-only');
    add('s3:DeleteObject', under(l, 'instancegroup/nodes'), false, 'the state store is read-only');
    add('s3:ListBucket', l.bucket, reads, 'list the bucket');
    add('s3:ListBucketVersions', l.bucket, reads, "list the bucket's versions");
    add('s3:GetBucketLocation', l.bucket, reads, 'find the bucket');
    add('s3:GetEncryptionConfiguration', l.bucket, reads, "read the bucket's encryption");
    add('s3:PutBucketPolicy', l.bucket, false, 'no bucket administration');
    add('s3:DeleteBucket', l.bucket, false, 'no bucket administration');
    add('s3:ListAllMyBuckets', '*', false, 'S3 only inside the state store');
    if (l.prefix !== '') add('s3:GetObject', `${l.bucket}/${l.prefix}-sibling/config`, false, 'a sibling path in the same bucket');
    add('s3:GetObject', `${l.bucket.slice(0, 50)}-sibling/${l.prefix === '' ? '' : `${l.prefix}/`}config`, false, 'a sibling bucket');
  }
  for (const b of loc.backups) {
    add('s3:PutObject', under(b, 'full-2025-01-01T00:00:00Z/etcd.backup.gz'), writes, 'write an etcd backup (etcd-manager)');
    add('s3:DeleteObject', under(b, 'full-2025-01-01T00:00:00Z/etcd.backup.gz'), writes, 'expire an etcd backup');
    add('s3:DeleteObjectVersion', under(b, 'full-2025-01-01T00:00:00Z/etcd.backup.gz'), writes, 'expire an etcd backup version');
    const readable = writes || (reads && loc.reads.some((r) => inside(b, r)));
    add('s3:GetObject', under(b, 'control/etcd-cluster-spec'), readable, 'read etcd-manager control files');
    add('s3:ListBucket', b.bucket, writes || (reads && loc.reads.some((r) => r.bucket === b.bucket)), 'list the backup bucket');
  }
  if (loc.reads.length === 0) add('s3:GetObject', 'any-bucket/config', false, 'no S3 state store: no S3');
  return rows;
}
