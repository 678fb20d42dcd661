/**
 * Every diagnostic kops-iam gives has a stable code: tests assert codes, people search
 * for them, the wording may improve. Codes are grouped by the kind of problem; a code is
 * never reused for another problem. The README lists them (generated from this table).
 */
export type DiagnosticKind = 'input' | 'manifest' | 'cluster' | 'policy' | 'iam' | 'limit';

interface CodeInfo {
  readonly kind: DiagnosticKind;
  readonly summary: string;
}

export const DIAGNOSTIC_CODES = {
  // input: the file and its YAML
  KI001: { kind: 'input', summary: 'not UTF-8 text (binary data)' },
  KI002: { kind: 'input', summary: 'a control character YAML does not allow' },
  KI003: { kind: 'input', summary: 'YAML syntax error' },
  KI004: { kind: 'input', summary: 'duplicate key in a mapping' },
  KI005: { kind: 'limit', summary: 'YAML nested too deeply' },
  KI006: { kind: 'limit', summary: 'YAML aliases expand too much' },
  KI007: { kind: 'input', summary: "the key '__proto__'" },
  KI008: { kind: 'input', summary: 'a file with no YAML document' },
  KI009: { kind: 'input', summary: 'a quoted string never closed' },
  // manifest: documents, kinds, names, InstanceGroups
  KI101: { kind: 'manifest', summary: 'a document that is not a mapping' },
  KI102: { kind: 'manifest', summary: 'not a kops manifest' },
  KI103: { kind: 'manifest', summary: 'a kops apiVersion kops-iam does not read' },
  KI104: { kind: 'manifest', summary: 'missing or unknown kind' },
  KI105: { kind: 'manifest', summary: 'a document kops-iam skips (not a kops object)' },
  KI106: { kind: 'manifest', summary: 'missing or invalid cluster name' },
  KI107: { kind: 'manifest', summary: 'a cluster defined twice' },
  KI108: { kind: 'manifest', summary: 'missing or unknown InstanceGroup role' },
  KI109: { kind: 'manifest', summary: 'an InstanceGroup naming a cluster not in the input' },
  KI110: { kind: 'manifest', summary: 'an InstanceGroup without a cluster label among several clusters' },
  KI111: { kind: 'manifest', summary: 'no Cluster in the input' },
  KI112: { kind: 'manifest', summary: 'a cluster without a spec mapping' },
  KI113: { kind: 'manifest', summary: 'a role with policies that no InstanceGroup uses' },
  // cluster: spec fields the IAM depends on
  KI201: { kind: 'cluster', summary: 'cloudProvider missing or not aws' },
  KI202: { kind: 'cluster', summary: 'no availability zone, or a malformed zone list' },
  KI203: { kind: 'cluster', summary: 'not an availability zone' },
  KI204: { kind: 'cluster', summary: 'zones in more than one region' },
  KI205: { kind: 'cluster', summary: 'a region not in AWS partition data' },
  KI206: { kind: 'cluster', summary: 'invalid DNS type or hosted zone' },
  KI207: { kind: 'cluster', summary: 'a dnsZone ignored by a cluster without a hosted zone' },
  KI208: { kind: 'cluster', summary: 'invalid etcd cluster or member' },
  KI209: { kind: 'cluster', summary: 'kmsKeyId without encryptedVolume: true' },
  KI210: { kind: 'cluster', summary: 'invalid KMS key' },
  KI211: { kind: 'cluster', summary: 'invalid state store' },
  KI212: { kind: 'cluster', summary: 'a misspelt spec field that would be lost' },
  KI213: { kind: 'cluster', summary: 'a field that must be true or false' },
  KI215: { kind: 'cluster', summary: 'an invalid addon or networking setting' },
  // policy: additionalPolicies and other statements users write
  KI301: { kind: 'policy', summary: 'additionalPolicies is not a role map' },
  KI302: { kind: 'policy', summary: 'an unknown role key' },
  KI303: { kind: 'policy', summary: 'a policy value of the wrong type' },
  KI304: { kind: 'policy', summary: 'an empty policy (nothing is added)' },
  KI305: { kind: 'policy', summary: 'invalid JSON' },
  KI306: { kind: 'policy', summary: 'not a list of statements' },
  KI307: { kind: 'policy', summary: 'a statement of the wrong shape' },
  KI308: { kind: 'policy', summary: 'an unknown or misplaced statement key' },
  KI309: { kind: 'policy', summary: 'a duplicate key' },
  KI310: { kind: 'policy', summary: 'an invalid Sid' },
  KI311: { kind: 'policy', summary: 'an invalid Effect' },
  KI312: { kind: 'policy', summary: 'Action/NotAction or Resource/NotResource missing, doubled or empty' },
  KI313: { kind: 'policy', summary: 'a malformed action' },
  KI314: { kind: 'policy', summary: 'an unknown service or action' },
  KI315: { kind: 'policy', summary: 'an invalid resource ARN' },
  KI316: { kind: 'policy', summary: 'an invalid Condition' },
  KI317: { kind: 'limit', summary: "a role's inline policies exceed AWS's size quota" },
  KI318: { kind: 'limit', summary: 'a policy written as YAML is too large' },
  // iam: customPolicies and the IAM fields of today's kops
  KI401: { kind: 'iam', summary: 'customPolicies without the CustomPoliciesSupport feature flag' },
  KI402: { kind: 'iam', summary: 'an invalid role ARN' },
  KI403: { kind: 'iam', summary: 'a role kops-iam will not manage (customPolicies)' },
  KI404: { kind: 'iam', summary: 'additionalPolicies and customPolicies for the same role' },
  KI405: { kind: 'iam', summary: 'an invalid permissions boundary' },
  KI406: { kind: 'iam', summary: 'an invalid externalPolicies entry' },
  KI407: { kind: 'iam', summary: 'an invalid instance profile' },
  KI408: { kind: 'iam', summary: 'an invalid service account permission' },
  KI409: { kind: 'iam', summary: 'an invalid cloud label' },
  KI410: { kind: 'iam', summary: 'an invalid service account issuer discovery setting' },
  KI411: { kind: 'iam', summary: 'a setting that needs the strict IAM generation' },
  KI412: { kind: 'iam', summary: 'an invalid spec.iam setting' },
} as const satisfies Record<string, CodeInfo>;

/** A diagnostic's stable code, e.g. `KI305`. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
