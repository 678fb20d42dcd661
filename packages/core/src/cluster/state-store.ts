import type { Placed } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import type { YamlNode } from '../input/yaml-node';

/** An S3 location kops keeps cluster state in: `s3://bucket/key`. */
export interface StateStoreLocation {
  readonly bucket: string;
  /** The key prefix without leading or trailing slash; empty for the whole bucket. */
  readonly prefix: string;
}

/** The spec fields that name state-store locations (the seed's era: configStore too). */
export const STATE_STORE_FIELDS = ['configBase', 'keyStore', 'secretStore', 'configStore'] as const;

/** The state-store fields kops 1.37 reads. */
export const STRICT_STATE_STORE_FIELDS = ['configBase', 'keyStore', 'secretStore'] as const;

const BUCKET = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Reads the state-store fields. `memfs://` (kops' in-memory store for tests) is ignored;
 * a location inside another one is dropped, since the parent's grant covers it.
 */
export function readStateStores(spec: YamlNode, fields: readonly string[], report: Report): StateStoreLocation[] {
  const found: StateStoreLocation[] = [];
  for (const field of fields) {
    const location = readS3Location(spec.get(field), report);
    if (location !== undefined && location !== 'memfs') found.push(location);
  }
  return absorbChildren(found);
}

/** An `s3://` location; `memfs` for kops' in-memory test store; undefined when unset or wrong (reported). */
export function readS3Location(node: YamlNode, report: Report): StateStoreLocation | 'memfs' | undefined {
  if (node.unset) return undefined;
  const value = node.string();
  if (value === undefined) {
    report.error('KI211', node, 'must be a string such as s3://bucket/path');
    return undefined;
  }
  return parseS3Location(value, node, report);
}

/** Parses `s3://bucket/path` written at `at`; reports what is wrong with anything else. */
export function parseS3Location(value: string, at: Placed, report: Report): StateStoreLocation | 'memfs' | undefined {
  if (value.startsWith('memfs://')) return 'memfs';
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(value);
  if (m === null) {
    const scheme = /^([a-z0-9+.-]+):\/\//i.exec(value)?.[1];
    const message =
      scheme !== undefined
        ? `the '${scheme}://' scheme is not supported: kops-iam grants state-store access on S3 only; use s3://bucket/path (or memfs:// for no store)`
        : `'${value}' is not supported: a state store is a URL such as s3://bucket/path (kops-iam grants state-store access on S3 only)`;
    report.error('KI211', at, message);
    return undefined;
  }
  const bucket = m[1] ?? '';
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    report.error('KI211', at, `'${bucket}' is not a valid S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)`);
    return undefined;
  }
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (/[*?]/.test(prefix)) {
    report.error('KI211', at, 'a state-store path may not contain * or ?, which IAM would read as wildcards');
    return undefined;
  }
  if (/[\u0000-\u001f\u007f]/.test(prefix)) {
    report.error('KI211', at, 'a state-store path may not contain control characters (line breaks, tabs, NUL)');
    return undefined;
  }
  return { bucket, prefix };
}

/** Keeps only locations not inside another one, sorted by bucket and prefix. */
export function absorbChildren(locations: readonly StateStoreLocation[]): StateStoreLocation[] {
  const sorted = [...locations].sort((a, b) => (`${a.bucket}/${a.prefix}` < `${b.bucket}/${b.prefix}` ? -1 : 1));
  const out: StateStoreLocation[] = [];
  for (const loc of sorted) {
    const inside = out.some(
      (p) => p.bucket === loc.bucket && (p.prefix === '' || loc.prefix === p.prefix || loc.prefix.startsWith(`${p.prefix}/`)),
    );
    if (!inside) out.push(loc);
  }
  return out;
}
