// @kops-iam/core: kops manifests → checked clusters → IAM plans, engine-neutral. No cdktf here.
export * from './load';
export { readManifests, joinManifests, type ReadManifests } from './manifest/read-documents';
export type { InputFile } from './input/input-file';
export {
  formatDiagnostic,
  sortDiagnostics,
  type Diagnostic,
  type Placed,
  type Severity,
  type SourcePosition,
} from './diagnostics/diagnostic';
export { DIAGNOSTIC_CODES, type DiagnosticCode, type DiagnosticKind } from './diagnostics/codes';
export { Report } from './diagnostics/report';
export * from './plan/plan';
export { planCluster, OIDC_THUMBPRINTS } from './plan/build-plan';
export { fnv1a32, kopsTruncate, instanceRoleName, serviceAccountRoleName, additionalPolicyName, MAX_ROLE_NAME } from './plan/iam-names';
export { checkPolicySizes, INLINE_POLICIES_LIMIT } from './plan/policy-size';
export { ec2ServicePrincipal } from './plan/trust';
export * from './policy/statement';
export { renderPolicy, renderPolicyText, policySize, POLICY_VERSION, type RenderedPolicy } from './policy/render';
export { expandAction, serviceActionCount, wildcardRegExp, checkActions, type ActionUse } from './policy/iam-actions';
export { policyTreeFromJson, policyTreeFromYaml, describeKind, type PolicyNode, type PolicyEntry } from './policy/policy-tree';
export { readUserStatements, STATEMENT_KEYS } from './policy/user-statements';
export { isConditionOperator, suggestConditionOperator } from './policy/condition-operators';
export { parseJsonTree, type JsonNode, type JsonParseResult } from './input/json-tree';
export { embeddedTextPosition } from './input/embedded-text';
export { readYamlFile, type YamlDocument } from './input/yaml-file';
export { YamlNode } from './input/yaml-node';
export { MAX_ALIAS_EXPANSIONS, MAX_YAML_DEPTH } from './input/yaml-checks';
export { partitionOf, arn, type Partition } from './cluster/partition';
export { regionOfZone, REGION_PATTERN } from './cluster/region';
export { INSTANCE_ROLES, rolePlural, type InstanceRoleKind } from './cluster/roles';
export type { ClusterSpec } from './cluster/cluster-spec';
export type { HostedZone } from './cluster/hosted-zone';
export type { KmsKey } from './cluster/kms';
export type { StateStoreLocation } from './cluster/state-store';
export type { Generation } from './cluster/generation';
export type { ClusterFeatures } from './cluster/features';
export type { InstanceGroupSpec } from './manifest/instance-group';
export { parseFeatureFlags, CUSTOM_POLICIES_FLAG } from './util/feature-flags';
export { closest, editDistance } from './util/edit-distance';
export { ECR_READ_ACTIONS, KMS_ACTIONS, ROUTE53_ZONE_ACTIONS } from './legacy/legacy-policies';
export * from './explain/explain';
export { renderExplainMarkdown, renderClusterMarkdown } from './explain/markdown';
export { describeRef } from './explain/refs';
export { planRefs } from './plan/plan-refs';
