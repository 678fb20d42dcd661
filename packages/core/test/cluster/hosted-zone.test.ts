import { describe, expect, it } from 'vitest';
import { isGossipName, readHostedZone } from '../../src/cluster/hosted-zone';
import { errorsOf, specOf, warningsOf } from '../helpers';

function zoneOf(name: string, specBody: string) {
  const { spec, report } = specOf(`spec:\n${specBody}\n`);
  const zone = readHostedZone(name, spec, report);
  return { zone, diagnostics: report.diagnostics };
}

describe('readHostedZone', () => {
  it('has no zone for a gossip cluster, and warns about a dnsZone it ignores (KI207)', () => {
    expect(isGossipName('a.k8s.local')).toBe(true);
    expect(isGossipName('a.k8s.local.example.com')).toBe(false);
    const { zone, diagnostics } = zoneOf('a.k8s.local', '  dnsZone: example.com');
    expect(zone).toEqual({ kind: 'none', reason: 'gossip' });
    expect(warningsOf(diagnostics)).toMatchObject([
      { code: 'KI207', path: 'spec.dnsZone', message: 'ignored: a gossip cluster (name ending .k8s.local) uses no hosted zone' },
    ]);
  });

  it('has no zone with topology.dns.type None, and says a dnsZone is ignored there too', () => {
    expect(zoneOf('a.example.com', '  topology:\n    dns:\n      type: None')).toEqual({
      zone: { kind: 'none', reason: 'dns-none' },
      diagnostics: [],
    });
    expect(zoneOf('a.example.com', '  dnsZone: Z1\n  topology:\n    dns:\n      type: None').diagnostics).toMatchObject([
      { code: 'KI207', message: 'ignored: a cluster with DNS type None uses no hosted zone' },
    ]);
  });

  it('takes a zone ID literally, with or without /hostedzone/', () => {
    expect(zoneOf('a.example.com', '  dnsZone: Z1D633PJN98FT9').zone).toEqual({ kind: 'id', id: 'Z1D633PJN98FT9' });
    expect(zoneOf('a.example.com', '  dnsZone: /hostedzone/Z1D633PJN98FT9').zone).toEqual({ kind: 'id', id: 'Z1D633PJN98FT9' });
  });

  it('looks a zone name up, private when topology.dns.type is Private', () => {
    expect(zoneOf('a.example.com', '  dnsZone: example.com').zone).toEqual({ kind: 'lookup', name: 'example.com', private: false });
    expect(zoneOf('a.example.com', '  dnsZone: Example.com.\n  topology:\n    dns:\n      type: Public').zone).toEqual({
      kind: 'lookup',
      name: 'example.com',
      private: false,
    });
    expect(zoneOf('a.example.com', '  dnsZone: internal.example\n  topology:\n    dns:\n      type: Private').zone).toEqual({
      kind: 'lookup',
      name: 'internal.example',
      private: true,
    });
  });

  it('needs a variable without dnsZone', () => {
    expect(zoneOf('a.example.com', '  cloudProvider: aws').zone).toEqual({ kind: 'variable' });
  });

  it.each([
    ['Zabc', "'Zabc' is not a hosted zone ID: IDs are 'Z' followed by upper-case letters and digits"],
    ['/hostedzone/', "'/hostedzone/' is not a hosted zone ID: IDs are 'Z' followed by upper-case letters and digits"],
    ['"not a name!"', "'not a name!' is neither a hosted zone ID nor a DNS name"],
    ['""', 'must be a hosted zone ID (Z…) or a DNS zone name'],
    ['12', 'must be a hosted zone ID (Z…) or a DNS zone name'],
  ])('rejects dnsZone %s (KI206)', (value, message) => {
    const { zone, diagnostics } = zoneOf('a.example.com', `  dnsZone: ${value}`);
    expect(zone).toEqual({ kind: 'variable' });
    expect(errorsOf(diagnostics)).toEqual([expect.objectContaining({ code: 'KI206', path: 'spec.dnsZone', line: 2, col: 12, message })]);
  });

  it('rejects an unknown DNS type, quoting it as written (KI206)', () => {
    expect(errorsOf(zoneOf('a.example.com', '  topology:\n    dns:\n      type: Secret').diagnostics)).toMatchObject([
      { code: 'KI206', path: 'spec.topology.dns.type', message: 'unknown DNS type "Secret"; use Public, Private or None' },
    ]);
    expect(errorsOf(zoneOf('a.example.com', '  topology:\n    dns:\n      type: no').diagnostics)).toMatchObject([
      { code: 'KI206', message: 'unknown DNS type "no"; use Public, Private or None' },
    ]);
  });
});
