// Test-only: @cloud-copilot/iam-simulate is AGPL-3.0 and a devDependency; never import this
// module (or the simulator) from packages/core/src or apps/kops-iam/src.
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { runSimulation } from './simulator';
import { TEST_ACCOUNT } from './test-world';

/** IAM's answer to a request. */
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** Condition keys of a request and their values (tags of the resource, tags asked for, the calling service …). */
export type RequestContext = Readonly<Record<string, string | string[]>>;

/** One request a role's holder makes. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: RequestContext;
  /**
   * Context keys the action does not know may be dropped by the simulator. Off (the
   * default), a dropped key is an error: a row whose context is ignored would pass for the
   * wrong reason. On for rows that offer every tag at once to show nothing grants an action.
   */
  readonly lenient?: boolean;
}

/** A named policy, as IAM JSON data. */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: unknown;
}

let simulated = 0;

/** How many requests have gone through the simulator in this process. */
export function simulatedRequestCount(): number {
  return simulated;
}

/** The account in an ARN, or the test account for `*` and account-less ARNs (S3, Route53). */
function accountOf(resource: string): string {
  const account = resource.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : TEST_ACCOUNT;
}

/**
 * KMS also asks the key's own policy. AWS's default key policy delegates to the
 * account's IAM policies; without it the simulator denies every KMS call. The test world's
 * keys trust the role's account, also for a key ARN of another account (a key shared
 * with the cluster's account), so that the identity policy decides.
 */
function defaultKeyPolicy(partition: string, account: string): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnableIAMUserPermissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

async function run(simulation: Simulation, what: string, lenient: boolean): Promise<Decision> {
  simulated += 1;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`the simulator rejected ${what}: ${JSON.stringify(result.errors)}`);
  const ignored =
    result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  if (!lenient && ignored.length > 0)
    throw new Error(`the simulator ignored context keys ${ignored.join(', ')} of ${what}: a broken matrix row`);
  return result.overallResult as Decision;
}

/**
 * Asks the simulator whether a role (by ARN) with these identity policies, and these
 * permissions boundaries when it has one, may make the request. A request the simulator
 * rejects (unknown action, resource of the wrong type, unknown context key) throws: a
 * matrix row that cannot be simulated is a broken test, not a denial.
 */
export async function simulate(
  roleArn: string,
  policies: readonly NamedPolicy[],
  request: IamRequest,
  boundaries: readonly NamedPolicy[] = [],
): Promise<Decision> {
  const partition = roleArn.split(':')[1] ?? 'aws';
  const kms = request.action.toLowerCase().startsWith('kms:');
  const simulation: Simulation = {
    request: {
      principal: roleArn,
      action: request.action,
      resource: { resource: request.resource, accountId: accountOf(request.resource) },
      contextVariables: { ...(request.context ?? {}) },
    },
    identityPolicies: policies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(boundaries.length > 0 ? { permissionBoundaryPolicies: boundaries.map((b) => ({ name: b.name, policy: b.policy })) } : {}),
    ...(kms ? { resourcePolicy: defaultKeyPolicy(partition, roleArn.split(':')[4] ?? TEST_ACCOUNT) } : {}),
  };
  return run(simulation, `${request.action} on ${request.resource}`, request.lenient === true);
}

/** Who asks to assume a role: a service or a federated identity (an OIDC provider's ARN), with the token's claims. */
export interface AssumeRoleCaller {
  readonly principal: string;
  readonly action: 'sts:AssumeRole' | 'sts:AssumeRoleWithWebIdentity';
  readonly context?: RequestContext;
}

/** What the role's trust policy (as the role's resource policy) answers a caller. */
export async function simulateAssumeRole(roleArn: string, trustPolicy: unknown, caller: AssumeRoleCaller): Promise<Decision> {
  simulated += 1;
  const result = await runSimulation(
    {
      request: {
        principal: caller.principal,
        action: caller.action,
        resource: { resource: roleArn, accountId: TEST_ACCOUNT },
        contextVariables: { ...(caller.context ?? {}) },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trustPolicy,
    },
    {},
  );
  if (result.resultType !== 'single')
    throw new Error(`the simulator could not run ${caller.action} by ${caller.principal}: ${JSON.stringify(result)}`);
  if ((result.result.ignoredContextKeys ?? []).length > 0)
    throw new Error(`the simulator ignored ${result.result.ignoredContextKeys?.join(', ')}`);
  // The trust policy's own answer: the simulator recognises service principals by the
  // .amazonaws.com suffix only, so China's ec2.amazonaws.com.cn gets no overall Allow even
  // where the trust policy grants it. For a service principal the trust policy decides.
  const trustDecision = (result.result.analysis as { resourceAnalysis?: { result?: string } }).resourceAnalysis?.result;
  if (trustDecision !== 'Allowed' && trustDecision !== 'ImplicitlyDenied' && trustDecision !== 'ExplicitlyDenied') {
    throw new Error(`no trust-policy analysis for ${caller.action} by ${caller.principal}`);
  }
  return trustDecision;
}

/**
 * The simulator knows OIDC claims only of providers AWS lists (accounts.google.com,
 * cognito-identity.amazonaws.com, …) and drops `<issuer host/path>:sub` as unknown. The
 * claims of the cluster's issuer are therefore renamed to those of a listed provider, in
 * the trust policy and in the request alike: a one-to-one renaming of the expected
 * issuer's keys only, so a trust policy naming another issuer (or none) still fails.
 */
const STAND_IN_ISSUER = 'accounts.google.com';

function renameIssuerKeys(value: unknown, issuerHost: string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameIssuerKeys(v, issuerHost));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k === `${issuerHost}:sub` || k === `${issuerHost}:aud` ? `${STAND_IN_ISSUER}:${k.slice(issuerHost.length + 1)}` : k,
      renameIssuerKeys(v, issuerHost),
    ]),
  );
}

/** What a trust policy answers a pod's web-identity token: the provider's ARN, the token's `sub` (and `aud: amazonaws.com`). */
export function simulateWebIdentity(roleArn: string, trustPolicy: unknown, token: { issuerHost: string; provider: string; sub: string }) {
  return simulateAssumeRole(roleArn, renameIssuerKeys(trustPolicy, token.issuerHost), {
    principal: token.provider,
    action: 'sts:AssumeRoleWithWebIdentity',
    context: { [`${STAND_IN_ISSUER}:sub`]: token.sub, [`${STAND_IN_ISSUER}:aud`]: 'amazonaws.com' },
  });
}
