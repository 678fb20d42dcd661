import { jsonQuoted, yamlQuoted } from '../hostile-strings';

/**
 * The two clusters the escaping property puts strings into: a strict one (today's kops:
 * OIDC provider, service-account roles, boundaries, external policies, labels) and a
 * legacy one (the seed's era: KMS key lookups, customPolicies). Each slot is a field a
 * manifest string reaches the output from; a field under test replaces one slot's value
 * and every other slot keeps a plain default, so the cluster is valid but for that value.
 * Every slot's value is on a line of its own, so an error can be expected on that line.
 */
export interface Slots {
  readonly name: string;
  readonly configBase: string;
  readonly dnsZone: string;
  readonly backupStore: string;
  readonly kmsKeyId: string;
  readonly boundary: string;
  readonly saResource: string;
  readonly saCondition: string;
  readonly saPolicyArn: string;
  readonly saNamespace: string;
  readonly zone: string;
  readonly externalPolicy: string;
  readonly labelKey: string;
  readonly labelValue: string;
  readonly discoveryStore: string;
  readonly audience: string;
  /** The `spec.kubeAPIServer` lines (empty: none). */
  readonly apiServer: readonly string[];
  readonly customRole: string;
  /** The lines of `spec.additionalPolicies.node`, from its key on. */
  readonly nodePolicy: readonly string[];
}

/** Defaults of every slot for a cluster named `name`. */
export function defaultSlots(name: string): Slots {
  return {
    name,
    configBase: `s3://esc-state/${name}`,
    dnsZone: 'example.com',
    backupStore: `s3://esc-backups/${name}`,
    kmsKeyId: `alias/etcd-${name.split('.')[0]}`,
    boundary: 'arn:aws:iam::123456789012:policy/boundaries/boundary',
    saResource: 'arn:aws:s3:::esc-sa/*',
    saCondition: 'platform',
    saPolicyArn: 'arn:aws:iam::123456789012:policy/sa/sa-policy',
    saNamespace: 'default',
    zone: 'us-east-1a',
    externalPolicy: 'arn:aws:iam::123456789012:policy/external/node-policy',
    labelKey: 'team',
    labelValue: 'platform',
    discoveryStore: `s3://esc-oidc/${name}`,
    audience: 'sts.amazonaws.com',
    apiServer: [],
    customRole: 'arn:aws:iam::123456789012:role/custom/kops-bastion',
    nodePolicy: jsonPolicy([['"Resource": ', jsonQuoted('arn:aws:s3:::esc-bucket/*')]]),
  };
}

/**
 * `additionalPolicies.node` as a JSON block: one statement allowing s3:GetObject, with the
 * given members, each on a line of its own (`["Resource": ', '"arn…"']`).
 */
export function jsonPolicy(members: readonly (readonly [string, string])[], action = jsonQuoted('s3:GetObject')): string[] {
  return [
    '  additionalPolicies:',
    '    node: |',
    `      [{"Effect": "Allow", "Action": ${action}`,
    ...members.map(([key, value]) => `        , ${key}${value}`),
    '      }]',
  ];
}

/** `additionalPolicies.node` as a YAML list of one statement. */
export function yamlPolicy(members: readonly (readonly [string, string])[]): string[] {
  return [
    '  additionalPolicies:',
    '    node:',
    '    - Effect: Allow',
    '      Action: s3:GetObject',
    ...members.map(([k, v]) => `      ${k}${v}`),
  ];
}

const q = yamlQuoted;

function instanceGroups(cluster: string, roles: readonly string[]): string[] {
  return roles.flatMap((role) => [
    '---',
    'apiVersion: kops.k8s.io/v1alpha2',
    'kind: InstanceGroup',
    'metadata:',
    `  name: ${role.toLowerCase()}-a`,
    '  labels:',
    `    kops.k8s.io/cluster: ${q(cluster)}`,
    `spec: {role: ${role}, subnets: [a]}`,
  ]);
}

/** The strict cluster (kops.k8s.io/v1alpha2) with its control plane and nodes. */
export function strictManifest(s: Slots): string {
  const lines = [
    'apiVersion: kops.k8s.io/v1alpha2',
    'kind: Cluster',
    'metadata:',
    `  name: ${q(s.name)}`,
    'spec:',
    '  cloudProvider: aws',
    `  configBase: ${q(s.configBase)}`,
    `  dnsZone: ${q(s.dnsZone)}`,
    '  kubernetesVersion: 1.30.2',
    '  networking: {cilium: {}}',
    '  etcdClusters:',
    '  - name: main',
    '    etcdMembers: [{name: a, instanceGroup: master-a}]',
    '    backups:',
    `      backupStore: ${q(s.backupStore)}`,
    '  iam:',
    '    legacy: false',
    `    permissionsBoundary: ${q(s.boundary)}`,
    '    serviceAccountExternalPermissions:',
    '    - name: app',
    `      namespace: ${q(s.saNamespace)}`,
    '      aws:',
    '        inlinePolicy: |',
    '          [{"Effect": "Allow", "Action": "s3:GetObject",',
    `            "Resource": ${jsonQuoted(s.saResource)},`,
    `            "Condition": {"StringEquals": {"aws:PrincipalTag/team":`,
    `            ${jsonQuoted(s.saCondition)}`,
    '          }}}]',
    '    - name: app2',
    '      namespace: default',
    '      aws:',
    '        policyARNs:',
    `        - ${q(s.saPolicyArn)}`,
    '  externalPolicies:',
    '    node:',
    `    - ${q(s.externalPolicy)}`,
    '  cloudLabels:',
    `    ${q(s.labelKey)}: ${q(s.labelValue)}`,
    '  serviceAccountIssuerDiscovery:',
    '    enableAWSOIDCProvider: true',
    `    discoveryStore: ${q(s.discoveryStore)}`,
    '    additionalAudiences:',
    `    - ${q(s.audience)}`,
    ...s.apiServer,
    ...s.nodePolicy,
    '  subnets:',
    '  - name: a',
    `    zone: ${q(s.zone)}`,
  ];
  return [...lines, ...instanceGroups(s.name, ['Master', 'Node'])].join('\n') + '\n';
}

/** The legacy cluster (kops/v1alpha2): an encrypted etcd volume with a KMS key, a bastion of an existing role. */
export function legacyManifest(s: Slots): string {
  const lines = [
    'apiVersion: kops/v1alpha2',
    'kind: Cluster',
    'metadata:',
    `  name: ${q(s.name)}`,
    'spec:',
    '  cloudProvider: aws',
    `  configBase: ${q(s.configBase)}`,
    `  dnsZone: ${q(s.dnsZone)}`,
    '  etcdClusters:',
    '  - name: main',
    '    etcdMembers:',
    '    - name: a',
    '      instanceGroup: master-a',
    '      encryptedVolume: true',
    `      kmsKeyId: ${q(s.kmsKeyId)}`,
    '  customPolicies:',
    `    bastion: ${q(s.customRole)}`,
    ...s.nodePolicy,
    '  subnets: [{name: a, zone: eu-west-1a}]',
  ];
  return [...lines, ...instanceGroups(s.name, ['Master', 'Node', 'Bastion'])].join('\n') + '\n';
}
