import { describe, expect, it } from 'vitest';
import { clusterYaml, errorsOf, legacyClusterYaml, load, warningsOf } from '../helpers';

// kops' validation between addon settings (/work/notes/kops-addons.md §1.3, §3.5), and the strict-only IRSA switch.

const IRSA = '  iam:\n    useServiceAccountExternalPermissions: true';

async function errors(text: string): Promise<[string, string, string][]> {
  return errorsOf((await load(text)).diagnostics).map((d) => [d.code, d.path, d.message]);
}

describe('addon requirements (strict clusters)', () => {
  it('Karpenter needs service-account roles (KI215)', async () => {
    expect(await errors(clusterYaml('k.example.com', '  karpenter:\n    enabled: true'))).toEqual([
      [
        'KI215',
        'spec.karpenter.enabled',
        'Karpenter runs with a service-account role in kops; set spec.iam.useServiceAccountExternalPermissions: true (with ' +
          'serviceAccountIssuerDiscovery)',
      ],
    ]);
    expect(await errors(clusterYaml('k.example.com', `  karpenter:\n    enabled: true\n${IRSA}`))).toEqual([]);
  });

  it("cert-manager's DNS-01 zones need service-account roles (KI215)", async () => {
    expect(await errors(clusterYaml('c.example.com', '  certManager:\n    enabled: true\n    hostedZoneIDs: [Z1]'))).toEqual([
      [
        'KI215',
        'spec.certManager.hostedZoneIDs',
        'cert-manager solves DNS-01 challenges with a service-account role in kops; set spec.iam.useServiceAccountExternalPermissions: ' +
          'true (with serviceAccountIssuerDiscovery)',
      ],
    ]);
  });

  it('node-termination-handler turned on cannot run beside Karpenter (KI215)', async () => {
    const text = clusterYaml('k.example.com', `  karpenter:\n    enabled: true\n  nodeTerminationHandler:\n    enabled: true\n${IRSA}`);
    expect(await errors(text)).toEqual([
      [
        'KI215',
        'spec.nodeTerminationHandler.enabled',
        'node-termination-handler cannot run with Karpenter (kops refuses it); remove nodeTerminationHandler.enabled or set it to false',
      ],
    ]);
  });

  it('are not checked for legacy clusters, where those addons have no role of their own', async () => {
    expect(await errors(legacyClusterYaml('k.example.com', '  karpenter:\n    enabled: true'))).toEqual([]);
  });
});

describe('settings that need the strict generation', () => {
  it('useServiceAccountExternalPermissions is an error for a legacy cluster (KI411)', async () => {
    expect(await errors(legacyClusterYaml('l.example.com', IRSA))).toEqual([
      [
        'KI411',
        'spec.iam.useServiceAccountExternalPermissions',
        'useServiceAccountExternalPermissions moves addon permissions to service-account roles, which only the scoped (strict) IAM does; ' +
          'this cluster gets legacy IAM (the manifest is kops/v1alpha2, from before kops scoped its policies (spec.iam.legacy: false ' +
          'asks for scoped ones))',
      ],
    ]);
  });
});

describe('service-account roles without serviceAccountIssuerDiscovery', () => {
  const warning =
    "service-account roles trust the issuer https://api.internal.d.example.com, kops' default without serviceAccountIssuerDiscovery; " +
    'IAM has no OIDC provider for it unless you create one: set serviceAccountIssuerDiscovery (discoveryStore, enableAWSOIDCProvider)';

  it('are warned about: they trust an issuer that IAM has no provider for (KI410)', async () => {
    const r = await load(clusterYaml('d.example.com', `${IRSA}\n  dnsZone: Z1`));
    expect(r.ok).toBe(true);
    expect(warningsOf(r.diagnostics).map((d) => [d.code, d.path, d.message])).toEqual([['KI410', 'spec', warning]]);
    const listed = [
      '  iam:',
      '    serviceAccountExternalPermissions:',
      '    - {name: sa, namespace: default, aws: {policyARNs: [arn:aws:iam::123456789012:policy/p]}}',
    ].join('\n');
    expect(
      warningsOf((await load(legacyClusterYaml('d.example.com', `${listed}\n  dnsZone: Z1`))).diagnostics).map((d) => d.message),
    ).toEqual([warning]);
  });

  it('are not warned about with a discovery store, or without any service-account role', async () => {
    const discovery = '  serviceAccountIssuerDiscovery:\n    discoveryStore: memfs://d.example.com/c';
    expect(warningsOf((await load(clusterYaml('d.example.com', `${IRSA}\n${discovery}\n  dnsZone: Z1`))).diagnostics)).toEqual([]);
    expect(warningsOf((await load(clusterYaml('d.example.com', '  dnsZone: Z1'))).diagnostics)).toEqual([]);
  });
});
