import { hostilePrintable, hostileString } from '../hostile-strings';
import { chance, int, pick, type Random } from '../prng';

/** Scalars of other types and odd spellings, written as is (YAML 1.1 reads many as non-strings). */
export const RAW_SCALARS = [
  '123',
  '-1.5e3',
  '1e3',
  '1e400',
  '123456789012345678901234',
  '012345670123',
  '0o17',
  '0x1F',
  '1_000',
  '.inf',
  '-.inf',
  '.nan',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'null',
  '~',
  '2030-01-01T00:00:00Z',
  '2024-01-01',
  '12:30:45',
  '!!str 1',
  '!!binary aGVsbG8=',
  '!!int "7"',
  '""',
  "''",
] as const;

/** Words that change a spec's meaning: roles, kinds, API versions, providers, IAM keys, prototype names. */
export const WORDS = [
  'Master',
  'master',
  'ControlPlane',
  'control-plane',
  'Node',
  'node',
  'Bastion',
  'bastion',
  'APIServer',
  'apiserver',
  'Worker',
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  'Cluster',
  'InstanceGroup',
  'Keyset',
  'kops.k8s.io/v1alpha2',
  'kops/v1alpha2',
  'kops/v1alpha1',
  'v1',
  'kops.k8s.io/v1alpha3',
  'aws',
  'gce',
  'Allow',
  'Deny',
  'Public',
  'Private',
  'None',
  'eu-west-1a',
  'us-east-1b',
  'cn-north-1a',
  'us-gov-west-1a',
  'us-iso-east-1a',
  'mars-1a',
  'us-test-1a',
  's3://bucket/path',
  'memfs://x/y',
  'gs://b/p',
  'example.com',
  'a.k8s.local',
  'Z1234567890ABC',
  'arn:aws:iam::123456789012:role/r',
  'arn:aws:iam::123456789012:policy/p',
  'arn:aws:iam::123456789012:instance-profile/p',
  'alias/etcd',
  'ec2:*',
  'constructor:get',
  's3:GetObject',
  '*',
] as const;

/** Keys people write, misspell, or that touch Object.prototype. */
export const KEYS = [
  'additionalPolicies',
  'additionalpolicies',
  'customPolicies',
  'externalPolicies',
  'cloudLabels',
  'iam',
  'legacy',
  'permissionsBoundary',
  'serviceAccountExternalPermissions',
  'serviceAccountIssuerDiscovery',
  'dnsZone',
  'topology',
  'master',
  'node',
  'bastion',
  'apiserver',
  'control-plane',
  'Resource',
  'Action',
  'Condition',
  'Sid',
  'Principal',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '<<',
] as const;

/** A random string for a scalar: hostile text, a word, or printable ASCII with template syntax. */
export function randomText(r: Random): string {
  const k = r();
  if (k < 0.45) return hostileString(r);
  if (k < 0.7) return pick(r, WORDS);
  return hostilePrintable(r);
}

/** Hostile text put inside an existing string (at its start, end or middle), keeping most of its meaning. */
export function embedHostile(r: Random, text: string): string {
  const at = pick(r, [0, text.length, int(r, text.length + 1), text.lastIndexOf('/') + 1]);
  return text.slice(0, at) + (chance(r, 0.7) ? hostilePrintable(r, 3) : hostileString(r, 3)) + text.slice(at);
}

/** An ARN of an IAM type with a path that may hold anything. */
export function iamArn(r: Random, type: 'role' | 'policy' | 'instance-profile', name: string): string {
  const path = chance(r, 0.5) ? '' : `${chance(r, 0.8) ? hostilePrintable(r, 3) : hostileString(r, 3)}/`;
  const partition = chance(r, 0.9) ? 'aws' : pick(r, ['aws-cn', 'aws-us-gov', 'aws-test', '']);
  const account = chance(r, 0.9) ? '123456789012' : pick(r, ['aws', '1234', '12345678901234', '']);
  return `arn:${partition}:iam::${account}:${type}/${path}${name}`;
}
