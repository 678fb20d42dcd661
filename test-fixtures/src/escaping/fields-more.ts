import { hostileString, TEMPLATE_ATOMS, yamlQuoted } from '../hostile-strings';
import { int, type Random } from '../prng';
import type { EvaluatedStack } from '../terraform-stack-eval';
import { expectThat, pathText, POLICY_FIELDS, STRICT_FIELDS, type Field } from './fields';
import { dataSources, oidcProvider, outputValues, policyResources, roleArgs } from './stack-queries';

const id = (s: string) => s;

/** An S3 location's key prefix must come out in the resources of the control plane's policy. */
function storeField(name: string, bucket: string, slot: 'configBase' | 'backupStore'): Field {
  return {
    name,
    value: (r) => `s3://${bucket}/p${hostileString(r)}x`,
    wrap: (t) => `s3://${bucket}/p${t}x`,
    slots: (v, s) => ({ ...s, [slot]: v }),
    check: (v, st) => {
      const want = `arn:aws:s3:::${v.slice('s3://'.length)}/*`;
      const found = policyResources(st, 'masters.');
      return expectThat(
        found.includes(want),
        'a resource of the control plane',
        want,
        found.filter((x) => x.includes(bucket)),
      );
    },
    takesTemplateText: true,
  };
}

const OIDC_HOST = 'https://esc-oidc.s3.us-east-1.amazonaws.com';

function oidcUrl(v: string, st: EvaluatedStack): string[] {
  return expectThat(oidcProvider(st)?.url === v, 'the OIDC provider url', v, oidcProvider(st)?.url);
}

const OIDC_FIELDS: Field[] = [
  {
    name: 'serviceAccountIssuerDiscovery.discoveryStore path',
    value: (r) => `s3://esc-oidc/d${hostileString(r)}x`,
    wrap: (t) => `s3://esc-oidc/d${t}x`,
    slots: (v, s) => ({ ...s, discoveryStore: v }),
    check: (v, st) => oidcUrl(`${OIDC_HOST}/${v.slice('s3://esc-oidc/'.length)}`, st),
    takesTemplateText: true,
  },
  {
    name: 'serviceAccountIssuerDiscovery.additionalAudiences',
    value: (r) => hostileString(r),
    wrap: id,
    slots: (v, s) => ({ ...s, audience: v }),
    check: (v, st) => {
      const ids = oidcProvider(st)?.client_id_list;
      return expectThat(Array.isArray(ids) && ids.includes(v), 'an OIDC client id', v, ids);
    },
    takesTemplateText: true,
  },
  {
    name: 'kubeAPIServer.serviceAccountIssuer',
    value: (r) => `https://issuer.example.com/${hostileString(r)}`,
    wrap: (t) => `https://issuer.example.com/${t}`,
    slots: (v, s) => ({ ...s, apiServer: ['  kubeAPIServer:', `    serviceAccountIssuer: ${yamlQuoted(v)}`] }),
    check: oidcUrl,
    takesTemplateText: true,
  },
  storeField('configBase path', 'esc-state', 'configBase'),
  {
    name: 'serviceAccountExternalPermissions namespace',
    value: (r) => `team-${hostileString(r)}`,
    wrap: (t) => `team-${t}`,
    slots: (v, s) => ({ ...s, saNamespace: v }),
    check: (v, st) => {
      const tags = roleArgs(st).map((r) => (r.tags as Record<string, unknown>)['service-account.kops.k8s.io/namespace']);
      return expectThat(tags.includes(v), 'the namespace tag of the service account role', v, tags);
    },
    takesTemplateText: false,
  },
  {
    name: 'subnets zone',
    value: (r) => `us-east-1${hostileString(r)}`,
    wrap: (t) => `us-east-1${t}`,
    slots: (v, s) => ({ ...s, zone: v }),
    check: (v, st) => expectThat(outputValues(st).includes(v.slice(0, -1)), 'the region output', v.slice(0, -1), outputValues(st)),
    takesTemplateText: false,
  },
  storeField('etcdClusters backups.backupStore path', 'esc-backups', 'backupStore'),
];

const LEGACY_FIELDS: Field[] = [
  {
    name: 'etcd kmsKeyId alias name',
    legacy: true,
    value: (r) => `alias/${hostileString(r)}`,
    wrap: (t) => `alias/${t}`,
    slots: (v, s) => ({ ...s, kmsKeyId: v }),
    check: (v, st) => {
      const names = dataSources(st, 'aws_kms_alias').map((d) => d.name);
      return expectThat(names.includes(v), 'an aws_kms_alias lookup', v, names);
    },
    takesTemplateText: false,
  },
  {
    name: 'dnsZone',
    legacy: true,
    value: (r) => `${hostileString(r)}.example.com`,
    wrap: (t) => `${t}.example.com`,
    slots: (v, s) => ({ ...s, dnsZone: v }),
    check: (v, st) => {
      // DNS names are case-insensitive: kops-iam looks the zone up by its lower-case name.
      const names = dataSources(st, 'aws_route53_zone').map((d) => d.name);
      return expectThat(names.includes(v.toLowerCase()), 'the aws_route53_zone lookup', v.toLowerCase(), names);
    },
    takesTemplateText: false,
  },
  {
    name: 'customPolicies role ARN path',
    printable: true,
    legacy: true,
    value: (r) => `arn:aws:iam::123456789012:role/${pathText(r)}/kops-bastion`,
    wrap: (t) => `arn:aws:iam::123456789012:role/${t}/kops-bastion`,
    slots: (v, s) => ({ ...s, customRole: v }),
    check: (v, st) => expectThat(outputValues(st).includes(v), 'an output', v, outputValues(st)),
    takesTemplateText: true,
  },
  {
    name: 'metadata.name',
    legacy: true,
    value: (r) => `n${int(r, 1e9)}${hostileString(r, 2)}.example.com`,
    wrap: (t) => `n${t}.example.com`,
    slots: (v, s) => ({ ...s, name: v }),
    check: (v, st) => expectThat(outputValues(st).includes(v), 'the cluster_name output', v, outputValues(st)),
    takesTemplateText: false,
  },
];

/** Every field the escaping property covers. */
export const FIELDS: readonly Field[] = [...POLICY_FIELDS, ...STRICT_FIELDS, ...OIDC_FIELDS, ...LEGACY_FIELDS];

/** Fixed values of every field: all template atoms at once, in groups of seven, and the attack of issue 10. */
export function fixedValues(field: Field): string[] {
  const atoms = TEMPLATE_ATOMS.filter((a) => field.printable !== true || /^[\x21-\x7e]+$/.test(a));
  const groups = Array.from({ length: Math.ceil(atoms.length / 7) }, (_, i) => atoms.slice(i * 7, i * 7 + 7).join('x'));
  return [atoms.join(''), '${file("~/.aws/credentials")}', ...groups].map(field.wrap);
}

/** The values tried in a field: the fixed ones, then `n` random ones. */
export function valuesOf(field: Field, r: Random, n: number): string[] {
  return [...fixedValues(field), ...Array.from({ length: n }, () => field.value(r))];
}
