import { isRecord, listOf, type IamFacts } from './facts';
import type { NormContext } from './normalise';
import { roleKind, sideModel, type RoleModel, type SideModel } from './side-model';
import { grantLines, type Grant } from './tuples';

/**
 * Compares kops' IAM for a manifest with kops-iam's, kind of role by kind of role, and
 * says every difference in a line a reader can act on. No difference: parity.
 */

/** OIDC issuer hosts named on either side: provider URLs and federated principals. */
function issuersOf(sides: readonly IamFacts[]): string[] {
  const issuers = new Set<string>();
  for (const f of sides) {
    for (const o of f.oidc) if (!o.url.includes('${')) issuers.add(o.url.replace(/^https:\/\//, ''));
    for (const r of f.roles) {
      const statements = isRecord(r.trust) ? listOf(r.trust.Statement).filter(isRecord) : [];
      for (const st of statements) {
        const federated = isRecord(st.Principal) ? listOf(st.Principal.Federated) : [];
        for (const arn of federated) {
          const m = /oidc-provider\/(.+)$/.exec(String(arn));
          if (m !== null) issuers.add(m[1]!);
        }
      }
    }
  }
  return [...issuers].sort((a, b) => b.length - a.length);
}

/** The normalisation context of a case: shared by both sides, but only kops-iam's Terraform labels. */
export function contextOf(kops: IamFacts, kopsIam: IamFacts, region: string | undefined): { kops: NormContext; kopsIam: NormContext } {
  const roleKeyByName = new Map<string, string>();
  for (const f of [kops, kopsIam]) for (const r of f.roles) if (r.name) roleKeyByName.set(r.name, roleKind(r));
  const base = { issuers: issuersOf([kops, kopsIam]), region, roleKeyByName };
  return { kops: base, kopsIam: { ...base, roleKeyByRes: new Map(kopsIam.roles.map((r) => [r.res, roleKind(r)])) } };
}

const minus = <T>(a: Iterable<T>, b: { has(x: T): boolean }): T[] => [...a].filter((x) => !b.has(x));

function describeRole(m: RoleModel): string {
  const parts = [`role ${m.role?.name}`];
  if (m.profiles.length > 0) parts.push(`profile ${m.profiles.join(', ')}`);
  if (m.grants.size > 0) parts.push(`${m.grants.size} grant tuples`);
  if (m.attachments.size > 0) parts.push(`attachments ${[...m.attachments].join(', ')}`);
  if (m.boundary !== '') parts.push(`boundary ${m.boundary}`);
  return parts.join(', ');
}

/** Name, instance profile, boundary and trust of a role both sides create. */
function roleDifferences(key: string, k: RoleModel, m: RoleModel): string[] {
  const out: string[] = [];
  if (k.role?.name !== m.role?.name) out.push(`${key}: role name: kops ${k.role?.name}, kops-iam ${m.role?.name}`);
  if (k.profiles.join(', ') !== m.profiles.join(', ')) {
    out.push(`${key}: instance profiles: kops [${k.profiles.join(', ')}], kops-iam [${m.profiles.join(', ')}]`);
  }
  if (k.boundary !== m.boundary)
    out.push(`${key}: permissions boundary: kops ${k.boundary || '(none)'}, kops-iam ${m.boundary || '(none)'}`);
  for (const t of minus(k.trust, m.trust)) out.push(`${key}: trust only in kops: ${t}`);
  for (const t of minus(m.trust, k.trust)) out.push(`${key}: trust only in kops-iam: ${t}`);
  return out;
}

/** Attachments and inline-policy grants of a kind of role (also of a role neither side creates). */
function grantDifferences(key: string, k: RoleModel, m: RoleModel): string[] {
  const out: string[] = [];
  const attachmentsMissing = minus(k.attachments, m.attachments);
  const attachmentsExtra = minus(m.attachments, k.attachments);
  if (attachmentsMissing.length > 0) out.push(`${key}: attachments only in kops: ${attachmentsMissing.join(', ')}`);
  if (attachmentsExtra.length > 0) out.push(`${key}: attachments only in kops-iam: ${attachmentsExtra.join(', ')}`);
  const missing: Grant[] = minus(k.grants.keys(), m.grants).map((t) => k.grants.get(t)!);
  const extra: Grant[] = minus(m.grants.keys(), k.grants).map((t) => m.grants.get(t)!);
  if (missing.length + extra.length > 0) {
    out.push(`${key}: grants: kops ${k.grants.size} tuples, kops-iam ${m.grants.size}; ${missing.length} missing, ${extra.length} extra`);
    for (const line of grantLines(missing)) out.push(`    missing in kops-iam: ${line}`);
    for (const line of grantLines(extra)) out.push(`    extra in kops-iam:   ${line}`);
  }
  return out;
}

function compareKind(key: string, k: RoleModel | undefined, m: RoleModel | undefined): string[] {
  const errors = [...(k?.errors ?? []).map((e) => `kops ${e}`), ...(m?.errors ?? []).map((e) => `kops-iam ${e}`)];
  const out = errors.map((e) => `${key}: unreadable: ${e}`);
  const empty = (): RoleModel => ({
    key,
    profiles: [],
    policies: [],
    grants: new Map(),
    attachments: new Set(),
    trust: new Set(),
    boundary: '',
    errors: [],
  });
  if (k?.role !== undefined && m?.role === undefined) return [...out, `${key}: MISSING in kops-iam: ${describeRole(k)}`];
  if (k?.role === undefined && m?.role !== undefined) return [...out, `${key}: EXTRA in kops-iam: ${describeRole(m)}`];
  const [kk, mm] = [k ?? empty(), m ?? empty()];
  if (kk.role !== undefined) out.push(...roleDifferences(key, kk, mm));
  else if (kk.profiles.join() !== mm.profiles.join()) {
    out.push(`${key}: instance profiles of an existing role: kops [${kk.profiles.join(', ')}], kops-iam [${mm.profiles.join(', ')}]`);
  }
  return [...out, ...grantDifferences(key, kk, mm)];
}

function oidcDifferences(K: SideModel, M: SideModel): string[] {
  const out: string[] = [];
  for (const [url, k] of K.oidc) {
    const m = M.oidc.get(url);
    if (m === undefined) out.push(`OIDC provider ${k.url}: MISSING in kops-iam`);
    else {
      if (k.clientIds.join() !== m.clientIds.join()) out.push(`OIDC provider: client ids: kops ${k.clientIds}, kops-iam ${m.clientIds}`);
      if (k.thumbprints.join() !== m.thumbprints.join())
        out.push(`OIDC provider: thumbprints: kops ${k.thumbprints}, kops-iam ${m.thumbprints}`);
    }
  }
  for (const [url, m] of M.oidc) if (!K.oidc.has(url)) out.push(`OIDC provider ${m.url}: EXTRA in kops-iam`);
  return out;
}

/** What a comparison found: differences fail it; notes (facts neither side can compare) do not. */
export interface Comparison {
  readonly differences: readonly string[];
  readonly notes: readonly string[];
}

/** Every difference between kops' facts and kops-iam's; `region` is kops-iam's stack `region` output. */
export function compareFacts(kops: IamFacts, kopsIam: IamFacts, region: string | undefined): Comparison {
  const ctx = contextOf(kops, kopsIam, region);
  const K = sideModel(kops, ctx.kops, 'kops');
  const M = sideModel(kopsIam, ctx.kopsIam, 'kops-iam');
  const kinds = [...new Set([...K.roles.keys(), ...M.roles.keys()])].sort();
  const problems = [...kops.problems.map((p) => `kops: ${p}`), ...kopsIam.problems.map((p) => `kops-iam: ${p}`)];
  return {
    differences: [...kinds.flatMap((key) => compareKind(key, K.roles.get(key), M.roles.get(key))), ...oidcDifferences(K, M)],
    notes: problems.map((p) => `not compared: ${p}`),
  };
}
