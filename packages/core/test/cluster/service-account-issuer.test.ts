import { describe, expect, it } from 'vitest';
import { partitionOf } from '../../src/cluster/partition';
import { issuerHost, readServiceAccountIssuer } from '../../src/cluster/service-account-issuer';
import { specLines } from '../helpers';

const region = (r: string) => ({ region: r, partition: partitionOf(r) });

function issuer(lines: string[], options: { where?: ReturnType<typeof region> | null; ipv6?: boolean } = {}) {
  const { spec, report } = specLines('  cloudProvider: aws', ...lines);
  const where = options.where === null ? undefined : (options.where ?? region('eu-central-1'));
  const read = readServiceAccountIssuer(spec, 'c.example.com', where, options.ipv6 ?? false, report);
  const list = (severity: string) => report.diagnostics.filter((d) => d.severity === severity).map((d) => [d.code, d.path, d.message]);
  return { issuer: read, diagnostics: list('error'), warnings: list('warning') };
}

const discovery = (...lines: string[]) => ['  serviceAccountIssuerDiscovery:', ...lines];

describe('readServiceAccountIssuer: the issuer URL, derived as kops derives it', () => {
  it('is https://api.internal.<cluster> by default', () => {
    expect(issuer([])).toEqual({ issuer: { url: 'https://api.internal.c.example.com', source: 'default' }, diagnostics: [], warnings: [] });
  });

  it('is spec.kubeAPIServer.serviceAccountIssuer when written, over a discovery store', () => {
    const lines = [
      '  kubeAPIServer:',
      '    serviceAccountIssuer: https://issuer.example.com/c',
      ...discovery('    discoveryStore: s3://bucket/c'),
    ];
    expect(issuer(lines).issuer).toEqual({ url: 'https://issuer.example.com/c', source: 'kubeAPIServer.serviceAccountIssuer' });
  });

  it("serves a memfs:// store (kops' tests) as https://, as in the irsa reference case", () => {
    expect(issuer(discovery('    discoveryStore: memfs://discovery.example.com/minimal.example.com')).issuer).toEqual({
      url: 'https://discovery.example.com/minimal.example.com',
      source: 'discoveryStore',
    });
  });

  it("is an S3 store's virtual-hosted URL in the cluster's region and partition, with a warning that the region is assumed", () => {
    const r = issuer(discovery('    discoveryStore: s3://oidc-bucket/clusters/c/'));
    expect(r.issuer?.url).toBe('https://oidc-bucket.s3.eu-central-1.amazonaws.com/clusters/c');
    // kops asks S3 for the bucket's region; offline, kops-iam cannot.
    expect(r.warnings).toEqual([
      [
        'KI410',
        'spec.serviceAccountIssuerDiscovery.discoveryStore',
        "kops names the issuer after the bucket's own region, which it asks S3 for; kops-iam assumes the cluster's region " +
          '(https://oidc-bucket.s3.eu-central-1.amazonaws.com…); if the bucket is in another region, set spec.kubeAPIServer.serviceAccountIssuer to its URL',
      ],
    ]);
    expect(issuer(discovery('    discoveryStore: s3://oidc-bucket'), { where: region('cn-north-1') }).issuer?.url).toBe(
      'https://oidc-bucket.s3.cn-north-1.amazonaws.com.cn',
    );
  });

  it('uses the dual-stack S3 endpoint for an IPv6-only cluster', () => {
    expect(issuer(discovery('    discoveryStore: s3://oidc-bucket/c'), { ipv6: true }).issuer?.url).toBe(
      'https://oidc-bucket.s3.dualstack.eu-central-1.amazonaws.com/c',
    );
  });

  it("is the discovery service's URL when that is given", () => {
    expect(issuer(discovery('    discoveryService:', '      url: https://disco.example.com/c')).issuer).toEqual({
      url: 'https://disco.example.com/c',
      source: 'discoveryService',
    });
  });

  it('cannot be derived from an S3 store without the region (already reported)', () => {
    expect(issuer(discovery('    discoveryStore: s3://oidc-bucket/c'), { where: null })).toEqual({
      issuer: undefined,
      diagnostics: [],
      warnings: [],
    });
  });

  it('gives the issuer host: the URL without https://', () => {
    expect(issuerHost({ url: 'https://discovery.example.com/minimal.example.com', source: 'discoveryStore' })).toBe(
      'discovery.example.com/minimal.example.com',
    );
  });
});

describe('readServiceAccountIssuer: the OIDC provider', () => {
  it('is asked for by enableAWSOIDCProvider, with amazonaws.com and the additional audiences as client ids', () => {
    const r = issuer(
      discovery(
        '    enableAWSOIDCProvider: true',
        '    discoveryStore: memfs://discovery.example.com/minimal.example.com',
        '    additionalAudiences:',
        '    - sts.amazonaws.com',
      ),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.issuer?.provider).toEqual({
      clientIds: ['amazonaws.com', 'sts.amazonaws.com'],
      at: { pos: { file: 'test.yaml', line: 4, col: 5 }, path: 'spec.serviceAccountIssuerDiscovery' },
    });
  });

  it('is not created without enableAWSOIDCProvider', () => {
    expect(issuer(discovery('    discoveryStore: memfs://d/c')).issuer?.provider).toBeUndefined();
  });

  it('needs a discovery store or service (KI410)', () => {
    expect(issuer(discovery('    enableAWSOIDCProvider: true')).diagnostics).toEqual([
      [
        'KI410',
        'spec.serviceAccountIssuerDiscovery',
        'enableAWSOIDCProvider needs a discoveryStore (or discoveryService) where the issuer publishes its keys',
      ],
    ]);
  });
});

describe('readServiceAccountIssuer: problems (KI410)', () => {
  it('refuses a store and a service together', () => {
    expect(
      issuer(discovery('    discoveryStore: s3://oidc-bucket/c', '    discoveryService:', '      url: https://d.example.com')).diagnostics,
    ).toEqual([
      [
        'KI410',
        'spec.serviceAccountIssuerDiscovery.discoveryService.url',
        'give discoveryStore or discoveryService, not both (as kops requires)',
      ],
    ]);
  });

  it('refuses a bucket with dots, whose HTTPS certificate would not match', () => {
    const r = issuer(discovery('    discoveryStore: s3://oidc.example.com/c'));
    expect(r).toEqual({
      issuer: undefined,
      warnings: [],
      diagnostics: [
        [
          'KI410',
          'spec.serviceAccountIssuerDiscovery.discoveryStore',
          "the discovery bucket 'oidc.example.com' has dots; kops requires a bucket name without dots (its HTTPS certificate must match)",
        ],
      ],
    });
  });

  it('refuses a store that is not S3 (KI211, as state stores)', () => {
    expect(issuer(discovery('    discoveryStore: gs://b/c')).diagnostics.map((d) => d[0])).toEqual(['KI211']);
  });

  it('refuses an issuer that is not https://, where it is written', () => {
    expect(issuer(['  kubeAPIServer:', '    serviceAccountIssuer: http://issuer.example.com']).diagnostics).toEqual([
      ['KI410', 'spec.kubeAPIServer.serviceAccountIssuer', 'the issuer "http://issuer.example.com" must be an https:// URL without spaces or control characters'],
    ]);
    expect(issuer(discovery('    discoveryService:', '      url: disco.example.com')).diagnostics).toEqual([
      ['KI410', 'spec.serviceAccountIssuerDiscovery.discoveryService.url', 'the issuer "disco.example.com" must be an https:// URL without spaces or control characters'],
    ]);
  });

  it('refuses audiences that are not a list, and empty values', () => {
    const r = issuer(
      discovery('    enableAWSOIDCProvider: true', '    discoveryStore: memfs://d/c', '    additionalAudiences: sts.amazonaws.com'),
    );
    expect(r.diagnostics).toEqual([
      ['KI410', 'spec.serviceAccountIssuerDiscovery.additionalAudiences', 'must be a list of audiences (OIDC client ids)'],
    ]);
    expect(issuer(['  kubeAPIServer:', '    serviceAccountIssuer: ""']).diagnostics).toEqual([
      ['KI410', 'spec.kubeAPIServer.serviceAccountIssuer', 'must be the issuer URL, found an empty string'],
    ]);
  });

  // Guards a fixed bug (src/cluster/service-account-issuer.ts): only the start of the issuer URL is checked (`^https://[^\s/]+`), so a
  // line break, a NUL or a space later in an explicit issuer or a discovery service URL reaches the OIDC provider URL and
  // the trust policies' condition keys, where ARNs and keys elsewhere refuse control characters.
  it.each([
    ['a line break', '"https://issuer.example.com/a\\nb"'],
    ['a NUL', '"https://issuer.example.com/a\\0b"'],
    ['a space', '"https://issuer.example.com/a b"'],
  ])('refuses an issuer with %s in its path', (_what, written) => {
    const r = issuer(['  kubeAPIServer:', `    serviceAccountIssuer: ${written}`]);
    expect(r.diagnostics.map((d) => [d[0], d[1]])).toEqual([['KI410', 'spec.kubeAPIServer.serviceAccountIssuer']]);
  });
});
