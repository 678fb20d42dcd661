import { simulateAssumeRole, simulateWebIdentity, type Decision } from './simulate';
import { dnsSuffixOf } from './strict-settings';
import { TEST_ACCOUNT, testOidcProviderArn } from './test-world';

/** Who a role's trust must let in and keep out. */
export type TrustSubject =
  | { readonly kind: 'instance' }
  | { readonly kind: 'service-account'; readonly namespace: string; readonly name: string; readonly issuerUrl: string };

/** A namespace a `*` pattern matches, for the token of a wildcard service account. */
function matchingNamespace(pattern: string): string {
  return pattern.replace(/\*/g, 'x1');
}

function wildcardMatches(pattern: string, value: string): boolean {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);
}

/**
 * Asks the trust policy (already evaluated in the test world) who may assume the role.
 * Instance roles: EC2 of the cluster's partition, and no other service, user or pod.
 * Service-account roles: a token of the cluster's issuer for that service account, and
 * no other service account, namespace, issuer, account or service. Returns how many were asked.
 */
export async function checkTrust(
  roleArn: string,
  trust: unknown,
  subject: TrustSubject,
  where: { partition: string; region: string },
  fail: (m: string) => void,
): Promise<number> {
  const ec2 = `ec2.${dnsSuffixOf(where.region)}`;
  const expect = async (what: string, actual: Promise<Decision>, expected: Decision) => {
    const got = await actual;
    if (got !== expected) fail(`trust: ${what}: ${got}, expected ${expected}`);
  };
  const service = (principal: string) => simulateAssumeRole(roleArn, trust, { principal, action: 'sts:AssumeRole' });
  const someIssuer = `https://oidc.kops-iam-test.example.com/${where.partition}`;
  if (subject.kind === 'instance') {
    await expect(`sts:AssumeRole by ${ec2}`, service(ec2), 'Allowed');
    await expect('sts:AssumeRole by lambda.amazonaws.com', service('lambda.amazonaws.com'), 'ImplicitlyDenied');
    await expect(
      'sts:AssumeRole by a user of the account',
      service(`arn:${where.partition}:iam::${TEST_ACCOUNT}:user/someone`),
      'ImplicitlyDenied',
    );
    const token = {
      issuerHost: someIssuer.slice(8),
      provider: testOidcProviderArn(where.partition, someIssuer),
      sub: 'system:serviceaccount:default:default',
    };
    await expect('a pod token', simulateWebIdentity(roleArn, trust, token), 'ImplicitlyDenied');
    return 4;
  }
  const issuerHost = subject.issuerUrl.replace(/^https:\/\//, '');
  const provider = testOidcProviderArn(where.partition, subject.issuerUrl);
  const sa = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;
  const token = (sub: string, p = provider) => simulateWebIdentity(roleArn, trust, { issuerHost, provider: p, sub });
  const ns = matchingNamespace(subject.namespace);
  const asks: [string, Promise<Decision>, Decision][] = [
    [`the token of ${ns}/${subject.name}`, token(sa(ns, subject.name)), 'Allowed'],
    [`the token of ${ns}/${subject.name}-other`, token(sa(ns, `${subject.name}-other`)), 'ImplicitlyDenied'],
    [
      `the token of ${ns}/${subject.name} from another issuer`,
      token(sa(ns, subject.name), testOidcProviderArn(where.partition, someIssuer)),
      'ImplicitlyDenied',
    ],
    [
      `the token of ${ns}/${subject.name} from another account's provider`,
      token(sa(ns, subject.name), provider.replace(TEST_ACCOUNT, '999999999999')),
      'ImplicitlyDenied',
    ],
    [`sts:AssumeRole by ${ec2}`, service(ec2), 'ImplicitlyDenied'],
  ];
  for (const other of ['kops-iam-other', 'default', 'kube-system']) {
    if (!wildcardMatches(subject.namespace, other))
      asks.push([`the token of ${other}/${subject.name}`, token(sa(other, subject.name)), 'ImplicitlyDenied']);
  }
  if (subject.namespace.includes('*')) {
    // A wildcard namespace (StringLike) matches what its pattern matches; a non-matching prefix stays out.
    asks.push([`the token of x${ns}/${subject.name}`, token(sa(`x${ns}`, subject.name)), allowedLike(subject.namespace, `x${ns}`)]);
  }
  for (const [what, actual, expected] of asks) await expect(what, actual, expected);
  return asks.length;
}

function allowedLike(pattern: string, value: string): Decision {
  return wildcardMatches(pattern, value) ? 'Allowed' : 'ImplicitlyDenied';
}
