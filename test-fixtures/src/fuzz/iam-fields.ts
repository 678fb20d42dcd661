import { hostileString } from '../hostile-strings';
import { chance, pick, type Random } from '../prng';
import { randomPolicyText } from './policy-mutations';
import { iamArn, randomText } from './values';

/** A spec field of SPEC §9 (or of the seed's era), with a value that is usually valid and sometimes hostile. */
type FieldMaker = (r: Random) => readonly [string, unknown];

const text = (r: Random, valid: string) => (chance(r, 0.6) ? valid : randomText(r));
const role = (r: Random) => pick(r, ['master', 'control-plane', 'node', 'bastion', 'apiserver', 'etcd', 'constructor', '__proto__']);

const CLUSTER_FIELDS: readonly FieldMaker[] = [
  (r) => ['iam', { legacy: chance(r, 0.5), allowContainerRegistry: true, permissionsBoundary: iamArn(r, 'policy', 'boundary') }],
  () => ['iam', { legacy: false, useServiceAccountExternalPermissions: true }],
  (r) => [
    'iam',
    {
      legacy: false,
      serviceAccountExternalPermissions: [
        { name: text(r, 'app'), namespace: text(r, 'default'), aws: { policyARNs: [iamArn(r, 'policy', 'p')] } },
        { name: 'app2', namespace: text(r, 'team-*'), aws: { inlinePolicy: randomPolicyText(r) } },
      ],
    },
  ],
  (r) => ['externalPolicies', { [role(r)]: [iamArn(r, 'policy', 'ext'), iamArn(r, 'policy', 'ext2')] }],
  (r) => ['cloudLabels', { [text(r, 'team')]: text(r, 'platform'), Owner: 'John Doe' }],
  (r) => [
    'serviceAccountIssuerDiscovery',
    {
      enableAWSOIDCProvider: true,
      discoveryStore: text(r, 's3://oidc-bucket/discovery'),
      additionalAudiences: [text(r, 'sts.amazonaws.com')],
    },
  ],
  (r) => ['kubeAPIServer', { serviceAccountIssuer: `https://issuer.example.com/${hostileString(r, 2)}` }],
  (r) => ['additionalPolicies', { [role(r)]: randomPolicyText(r) }],
  (r) => ['customPolicies', { [pick(r, ['master', 'node', 'bastion'])]: iamArn(r, 'role', 'kops-custom') }],
  (r) => [
    'topology',
    pick(r, [{ bastion: false }, { bastion: { bastionPublicName: 'b.example.com' } }, { dns: { type: text(r, 'Private') } }]),
  ],
  (r) => ['dnsZone', text(r, pick(r, ['example.com', 'Z1234567890ABC', '/hostedzone/Z123']))],
  (r) => ['configBase', text(r, 's3://state-bucket/cluster')],
  (r) => ['networking', pick(r, [{ amazonvpc: {} }, { cilium: { ipam: 'eni' } }, { calico: {} }, { kuberouter: {} }, { kindnet: {} }])],
  (r) => ['nonMasqueradeCIDR', pick(r, ['::/0', '100.64.0.0/10'])],
  (r) => [pick(r, ['certManager', 'awsLoadBalancerController', 'clusterAutoscaler', 'karpenter', 'snapshotController']), { enabled: true }],
  (r) => ['nodeTerminationHandler', { enabled: true, enableSQSTerminationDraining: chance(r, 0.5) }],
  (r) =>
    pick(r, [
      ['cloudConfig', { awsEBSCSIDriver: { enabled: true } }],
      ['externalDns', { provider: 'external-dns' }],
      ['podIdentityWebhook', { enabled: true }],
    ] as const),
  (r) => ['encryptionConfig', chance(r, 0.8)],
  (r) => [
    'etcdClusters',
    [
      {
        name: 'main',
        backups: { backupStore: text(r, 's3://backups/main') },
        etcdMembers: [{ name: 'a', instanceGroup: 'master-a', encryptedVolume: chance(r, 0.8), kmsKeyId: text(r, 'alias/etcd') }],
      },
    ],
  ],
];

const GROUP_FIELDS: readonly FieldMaker[] = [
  (r) => ['role', pick(r, ['Master', 'ControlPlane', 'Node', 'Bastion', 'APIServer', 'constructor', 'toString', '__proto__', 'master'])],
  (r) => ['iam', { profile: iamArn(r, 'instance-profile', 'kops-profile') }],
  () => ['warmPool', { minSize: 1 }],
  (r) => ['instanceMetadata', { httpTokens: text(r, 'required') }],
];

/** A field for a Cluster's spec. */
export function clusterField(r: Random): readonly [string, unknown] {
  return pick(r, CLUSTER_FIELDS)(r);
}

/** A field for an InstanceGroup's spec. */
export function groupField(r: Random): readonly [string, unknown] {
  return pick(r, GROUP_FIELDS)(r);
}
