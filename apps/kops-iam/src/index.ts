export { KopsIamRoles, type KopsIamRolesProps, type KopsIamRole } from './kops-iam-roles';
export { ClusterStack, AWS_PROVIDER_REQUIREMENT, type ClusterStackOptions } from './cluster-stack';
export { StackSynthesizer } from './stack-json';
export { run, type CliIO } from './cli';
