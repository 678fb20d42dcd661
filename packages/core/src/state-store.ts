import type { Diagnostics } from './diagnostics';
import type { YamlNode } from './yaml-node';

/** An S3 location kops keeps cluster state in: `s3://bucket/key`. */
export interface StateStoreLocation {
  readonly bucket: string;
  /** The key prefix without leading or trailing slash; empty for the whole bucket. */
  readonly prefix: string;
}

/** The spec fields that name state-store locations. */
export const STATE_STORE_FIELDS = ['configBase', 'keyStore', 'secretStore', 'configStore'] as const;

const BUCKET = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Reads the state-store fields. `memfs://` (kops' in-memory store for tests) is ignored;
 * a location inside another one is dropped, since the parent's grant covers it.
 */
export function readStateStores(spec: YamlNode, diagnostics: Diagnostics): StateStoreLocation[] {
  const found: StateStoreLocation[] = [];
  for (const field of STATE_STORE_FIELDS) {
    const node = spec.get(field);
    if (node.unset) continue;
    const value = node.string();
    if (value === undefined) {
      diagnostics.error(node.pos, node.path, 'must be a string such as s3://bucket/path');
      continue;
    }
    if (value.startsWith('memfs://')) continue;
    const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(value);
    if (m === null) {
      const scheme = /^([a-z0-9+.-]+):\/\//i.exec(value)?.[1];
      const message =
        scheme !== undefined
          ? `the '${scheme}://' scheme is not supported: kops-iam grants state-store access on S3 only; use s3://bucket/path (or memfs:// for no store)`
          : `'${value}' is not supported: a state store is a URL such as s3://bucket/path (kops-iam grants state-store access on S3 only)`;
      diagnostics.error(node.pos, node.path, message);
      continue;
    }
    const bucket = m[1] ?? '';
    if (!BUCKET.test(bucket) || bucket.includes('..')) {
      diagnostics.error(node.pos, node.path, `'${bucket}' is not a valid S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)`);
      continue;
    }
    const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
    if (/[*?]/.test(prefix)) {
      diagnostics.error(node.pos, node.path, 'a state-store path may not contain * or ?, which IAM would read as wildcards');
      continue;
    }
    found.push({ bucket, prefix });
  }
  return absorbChildren(found);
}

/** Keeps only locations not inside another one, sorted by bucket and prefix. */
export function absorbChildren(locations: readonly StateStoreLocation[]): StateStoreLocation[] {
  const sorted = [...locations].sort((a, b) => (a.bucket + '/' + a.prefix < b.bucket + '/' + b.prefix ? -1 : 1));
  const out: StateStoreLocation[] = [];
  for (const loc of sorted) {
    const inside = out.some((p) => p.bucket === loc.bucket && (p.prefix === '' || loc.prefix === p.prefix || loc.prefix.startsWith(`${p.prefix}/`)));
    if (!inside) out.push(loc);
  }
  return out;
}
