import { describe, expect, it } from 'vitest';
import { planRefs } from '../../src/plan/plan-refs';
import { clusterYaml, etcdYaml, legacyClusterYaml, loadOne } from '../helpers';

const IRSA = [
  '  iam:',
  '    serviceAccountExternalPermissions:',
  '    - {name: sa, namespace: default, aws: {policyARNs: [arn:aws:iam::123456789012:policy/p]}}',
  '  serviceAccountIssuerDiscovery:',
  '    discoveryStore: memfs://d.example.com/c',
].join('\n');

describe('planRefs', () => {
  it('lists the references of every policy once, in the order first met', async () => {
    const extra = `  dnsZone: example.com\n${etcdYaml([
      [true, 'alias/etcd'],
      [true, 'alias/etcd'],
      [true, '0987dcba-09fe-47dc-a5ba-ab0987654321'],
    ])}`;
    const { plan } = await loadOne(legacyClusterYaml('r.example.com', extra));
    expect(planRefs(plan)).toEqual([
      { kind: 'hosted-zone-id' },
      { kind: 'kms-key-arn', lookup: 'alias', id: 'alias/etcd' },
      { kind: 'kms-key-arn', lookup: 'key', id: '0987dcba-09fe-47dc-a5ba-ab0987654321' },
    ]);
  });

  it('has none for a zone ID written in the spec, or a gossip cluster', async () => {
    expect(planRefs((await loadOne(legacyClusterYaml('r.example.com', '  dnsZone: Z123'))).plan)).toEqual([]);
    expect(planRefs((await loadOne(legacyClusterYaml('r.k8s.local'))).plan)).toEqual([]);
  });

  it('has the hosted zone variable without dnsZone', async () => {
    expect(planRefs((await loadOne(legacyClusterYaml('r.example.com'))).plan)).toEqual([{ kind: 'hosted-zone-id' }]);
  });

  it("has the account id for a service account trusting the account's provider, the provider ARN for the plan's own", async () => {
    expect(planRefs((await loadOne(clusterYaml('r.example.com', `  dnsZone: Z1\n${IRSA}`))).plan)).toEqual([{ kind: 'account-id' }]);
    const own = IRSA.replace('    discoveryStore:', '    enableAWSOIDCProvider: true\n    discoveryStore:');
    expect(planRefs((await loadOne(clusterYaml('r.example.com', `  dnsZone: Z1\n${own}`))).plan)).toEqual([{ kind: 'oidc-provider-arn' }]);
  });
});
