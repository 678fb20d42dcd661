// Test-only: @cloud-copilot/iam-simulate is AGPL-3.0 and a devDependency; never import this
// module (or the simulator) from packages/core/src or apps/kops-iam/src.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { TEST_ACCOUNT } from './test-world';

/** IAM's answer to a request. */
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** One request a role's instance makes. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
}

/** A named identity policy, as IAM JSON data. */
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
    Statement: [{ Sid: 'EnableIAMUserPermissions', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

/**
 * Asks the simulator whether a role (by ARN) with these identity policies may make the
 * request. A request the simulator rejects (unknown action, resource of the wrong type)
 * throws: a matrix row that cannot be simulated is a broken test, not a denial.
 */
export async function simulate(roleArn: string, policies: readonly NamedPolicy[], request: IamRequest): Promise<Decision> {
  const partition = roleArn.split(':')[1] ?? 'aws';
  const account = accountOf(request.resource);
  simulated += 1;
  const result = await runSimulation(
    {
      request: {
        principal: roleArn,
        action: request.action,
        resource: { resource: request.resource, accountId: account },
        contextVariables: {},
      },
      identityPolicies: policies.map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.action.toLowerCase().startsWith('kms:') ? { resourcePolicy: defaultKeyPolicy(partition, roleArn.split(':')[4] ?? TEST_ACCOUNT) } : {}),
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(`the simulator rejected ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}

/** What the role's trust policy (as the role's resource policy) answers a principal asking for sts:AssumeRole. */
export async function simulateAssumeRole(roleArn: string, trustPolicy: unknown, principal: string): Promise<Decision> {
  simulated += 1;
  const result = await runSimulation(
    {
      request: { principal, action: 'sts:AssumeRole', resource: { resource: roleArn, accountId: TEST_ACCOUNT }, contextVariables: {} },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trustPolicy,
    },
    {},
  );
  if (result.resultType !== 'single') throw new Error(`the simulator could not run sts:AssumeRole by ${principal}: ${JSON.stringify(result)}`);
  // The trust policy's own answer: the simulator recognises service principals by the
  // .amazonaws.com suffix only, so China's ec2.amazonaws.com.cn gets no overall Allow even
  // where the trust policy grants it. For a service principal the trust policy decides.
  const trustDecision = (result.result.analysis as { resourceAnalysis?: { result?: string } }).resourceAnalysis?.result;
  if (trustDecision !== 'Allowed' && trustDecision !== 'ImplicitlyDenied' && trustDecision !== 'ExplicitlyDenied') {
    throw new Error(`no trust-policy analysis for sts:AssumeRole by ${principal}`);
  }
  return trustDecision;
}
