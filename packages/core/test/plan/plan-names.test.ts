import { describe, expect, it } from 'vitest';
import { clusterYaml, errorsOf, load } from '../helpers';

const DISCOVERY = '  serviceAccountIssuerDiscovery:\n    enableAWSOIDCProvider: true\n    discoveryStore: memfs://d.example.com/c';
const sa = (namespace: string, name: string) =>
  [`    - name: ${name}`, `      namespace: "${namespace}"`, '      aws:', '        policyARNs: [arn:aws:iam::123456789012:policy/p]'].join(
    '\n',
  );

describe('role names are unique in a plan (KI408)', () => {
  it('refuses a listed service account that kops already gives a role, where it is listed', async () => {
    const extra = [
      '  iam:',
      '    useServiceAccountExternalPermissions: true',
      '    serviceAccountExternalPermissions:',
      sa('kube-system', 'dns-controller'),
      DISCOVERY,
    ];
    const r = await load(clusterYaml('c.example.com', extra.join('\n')));
    expect(errorsOf(r.diagnostics).map((d) => [d.code, d.line, d.path, d.message])).toEqual([
      [
        'KI408',
        13,
        'spec.iam.serviceAccountExternalPermissions[0]',
        'role dns-controller.kube-system.sa.c.example.com of sa:kube-system/dns-controller: kops already gives this service account a ' +
          'role; IAM role names are unique',
      ],
    ]);
  });

  it('refuses two service accounts that kops names alike (team-* and team-wildcard), at the second', async () => {
    const extra = ['  iam:', '    serviceAccountExternalPermissions:', sa('team-*', 'app'), sa('team-wildcard', 'app'), DISCOVERY];
    const r = await load(clusterYaml('c.example.com', extra.join('\n')));
    expect(errorsOf(r.diagnostics).map((d) => [d.code, d.line, d.path, d.message])).toEqual([
      [
        'KI408',
        16,
        'spec.iam.serviceAccountExternalPermissions[1]',
        'role app.team-wildcard.sa.c.example.com of sa:team-wildcard/app: the role of sa:team-*/app has the same name; IAM role names ' +
          'are unique',
      ],
    ]);
  });
});
