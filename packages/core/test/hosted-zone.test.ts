import { describe, expect, it } from 'vitest';
import { isGossipName, readHostedZone } from '../src/hosted-zone';
import { renderPolicy } from '../src/policy';
import { terraformExpression, type IamPlan } from '../src/plan';
import { clusterYaml, errorsOf, loadOne, specOf, warningsOf } from './helpers';

function zoneOf(name: string, specBody: string) {
  const { spec, diagnostics } = specOf(`spec:\n${specBody}\n`);
  const zone = readHostedZone(name, spec, diagnostics);
  return { zone, diagnostics: diagnostics.list() };
}

/** The Route53 statements of a role's rendered policy. */
function route53Of(plan: IamPlan, role: 'master' | 'node'): { Sid: string; Action: unknown; Resource: unknown }[] {
  const r = plan.roles.find((x) => x.role === role)!;
  const json = JSON.parse(renderPolicy(r.policy!, (ref) => terraformExpression(plan, ref))) as { Statement: { Sid: string; Action: unknown; Resource: unknown }[] };
  return json.Statement.filter((s) => s.Sid.startsWith('Route53'));
}

describe('readHostedZone', () => {
  it('has no zone for a gossip cluster, and warns about a dnsZone it ignores', () => {
    expect(isGossipName('a.k8s.local')).toBe(true);
    expect(isGossipName('a.k8s.local.example.com')).toBe(false);
    const { zone, diagnostics } = zoneOf('a.k8s.local', '  dnsZone: example.com');
    expect(zone).toEqual({ kind: 'none', reason: 'gossip' });
    expect(warningsOf(diagnostics)).toHaveLength(1);
  });

  it('has no zone with topology.dns.type None', () => {
    expect(zoneOf('a.example.com', '  topology:\n    dns:\n      type: None').zone).toEqual({ kind: 'none', reason: 'dns-none' });
  });

  it('takes a zone ID literally, with or without /hostedzone/', () => {
    expect(zoneOf('a.example.com', '  dnsZone: Z1D633PJN98FT9').zone).toEqual({ kind: 'id', id: 'Z1D633PJN98FT9' });
    expect(zoneOf('a.example.com', '  dnsZone: /hostedzone/Z1D633PJN98FT9').zone).toEqual({ kind: 'id', id: 'Z1D633PJN98FT9' });
  });

  it('looks a zone name up, private when topology.dns.type is Private', () => {
    expect(zoneOf('a.example.com', '  dnsZone: example.com').zone).toEqual({ kind: 'lookup', name: 'example.com', private: false });
    expect(zoneOf('a.example.com', '  dnsZone: Example.com.\n  topology:\n    dns:\n      type: Public').zone).toEqual({ kind: 'lookup', name: 'example.com', private: false });
    expect(zoneOf('a.example.com', '  dnsZone: internal.example\n  topology:\n    dns:\n      type: Private').zone).toEqual({ kind: 'lookup', name: 'internal.example', private: true });
  });

  it('needs a variable without dnsZone', () => {
    expect(zoneOf('a.example.com', '  cloudProvider: aws').zone).toEqual({ kind: 'variable' });
  });

  it.each([
    ['Zabc', /not a hosted zone ID/],
    ['/hostedzone/', /not a hosted zone ID/],
    ['"not a name!"', /neither a hosted zone ID nor a DNS name/],
    ['""', /must be a hosted zone ID/],
  ])('rejects dnsZone %s', (value, message) => {
    const { diagnostics } = zoneOf('a.example.com', `  dnsZone: ${value}`);
    const errors = errorsOf(diagnostics);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('spec.dnsZone');
    expect(errors[0]!.message).toMatch(message);
  });

  it('rejects an unknown DNS type', () => {
    const { diagnostics } = zoneOf('a.example.com', '  topology:\n    dns:\n      type: Secret');
    expect(errorsOf(diagnostics)[0]).toMatchObject({ path: 'spec.topology.dns.type' });
  });
});

describe('Route53 statements', () => {
  it('grant ListHostedZones only for a gossip cluster', async () => {
    const { plan } = await loadOne(clusterYaml('g.k8s.local'));
    for (const role of ['master', 'node'] as const) {
      expect(route53Of(plan, role)).toEqual([{ Sid: 'Route53ListHostedZones', Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' }]);
    }
    expect(plan.inputs).toEqual([]);
  });

  it('scope zone actions to the literal zone ID, and GetChange to change/*', async () => {
    const { plan } = await loadOne(clusterYaml('z.example.com', '  dnsZone: /hostedzone/ZABC123'));
    const s = route53Of(plan, 'node');
    expect(s.map((x) => x.Sid)).toEqual(['Route53ListHostedZones', 'Route53HostedZone', 'Route53GetChange']);
    expect(s[1]!.Resource).toBe('arn:aws:route53:::hostedzone/ZABC123');
    expect(s[1]!.Action).toEqual(['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone']);
    expect(s[2]).toMatchObject({ Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' });
    expect(plan.inputs).toEqual([]);
  });

  it('reference a data source for a zone name, private or public', async () => {
    const { plan } = await loadOne(clusterYaml('n.example.com', '  dnsZone: example.com\n  topology:\n    dns:\n      type: Private'));
    expect(plan.inputs).toEqual([{ kind: 'hosted-zone-lookup', id: 'dns-n-example-com', name: 'example.com', private: true }]);
    expect(route53Of(plan, 'master')[1]!.Resource).toBe('arn:aws:route53:::hostedzone/${data.aws_route53_zone.dns-n-example-com.zone_id}');
  });

  it('reference the hosted_zone_id variable without dnsZone', async () => {
    const { plan } = await loadOne(clusterYaml('v.example.com'));
    expect(plan.inputs).toEqual([{ kind: 'hosted-zone-variable', id: 'hosted_zone_id' }]);
    expect(route53Of(plan, 'master')[1]!.Resource).toBe('arn:aws:route53:::hostedzone/${var.hosted_zone_id}');
  });

  it.each([
    ['gossip', 'g.k8s.local', ''],
    ['id', 'i.example.com', '  dnsZone: ZABC'],
    ['lookup', 'l.example.com', '  dnsZone: example.com'],
    ['variable', 'v.example.com', ''],
  ])('never widen to hostedzone/* (%s)', async (_kind, name, extra) => {
    const { plan } = await loadOne(clusterYaml(name, extra));
    for (const r of plan.roles) {
      const text = renderPolicy(r.policy!, (ref) => terraformExpression(plan, ref));
      expect(text).not.toContain('hostedzone/*');
      expect(text).not.toMatch(/"Resource":"arn:aws:route53:::\*"/);
    }
  });
});
