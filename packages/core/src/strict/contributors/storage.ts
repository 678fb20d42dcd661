import type { StateStoreLocation } from '../../cluster/state-store';
import type { Statement } from '../../policy/statement';
import { allowStatement, type Grants } from '../grants';

/** The S3 path of a location as kops writes it in ARNs: `bucket/prefix`, or `bucket` for a whole bucket. */
function s3Path(l: StateStoreLocation): string {
  return l.prefix === '' ? l.bucket : `${l.bucket}/${l.prefix}`;
}

function allowS3(actions: readonly string[], resources: readonly string[], list: boolean): Statement {
  return allowStatement({ values: actions, list: true }, { values: resources, list });
}

/**
 * The state store and etcd backups (AddS3Permissions): the control plane and API servers
 * read everything under each state-store root; the control plane also writes the etcd
 * backups; both may list and locate the buckets. Nodes get nothing: they read what they
 * need through kops-controller.
 */
export function stateStore(
  partition: string,
  opts: { roots: readonly StateStoreLocation[]; backups: readonly StateStoreLocation[] },
): Grants {
  const arn = (path: string) => `arn:${partition}:s3:::${path}`;
  const roots = [...opts.roots].sort((a, b) => (s3Path(a) < s3Path(b) ? -1 : 1));
  const statements = [
    ...roots.map((r) => allowS3(['s3:Get*'], [arn(`${s3Path(r)}/*`)], false)),
    ...opts.backups.map((b) =>
      allowS3(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:PutObject'], [arn(`${s3Path(b)}/*`)], false),
    ),
  ];
  const buckets = [...new Set([...roots, ...opts.backups].map((l) => l.bucket))].sort();
  for (const bucket of buckets) {
    statements.push(
      allowS3(['s3:GetBucketLocation', 's3:GetEncryptionConfiguration', 's3:ListBucket', 's3:ListBucketVersions'], [arn(bucket)], true),
    );
  }
  return { statements };
}
