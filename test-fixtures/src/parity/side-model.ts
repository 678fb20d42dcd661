import { docError, isRecord, listOf, type IamFacts, type RoleFact, type RoleRef } from './facts';
import { normalise, type NormContext, type Side } from './normalise';
import { addGrants, trustLines, type Grant } from './tuples';

/** Everything one side says about one kind of role. */
export interface RoleModel {
  readonly key: string;
  role?: RoleFact;
  readonly profiles: string[];
  readonly policies: string[];
  readonly grants: Map<string, Grant>;
  readonly attachments: Set<string>;
  trust: Set<string>;
  boundary: string;
  readonly errors: string[];
}

export interface OidcModel {
  readonly url: string;
  readonly clientIds: readonly string[];
  readonly thumbprints: readonly string[];
}

/** One side of a case, by role kind, and its OIDC providers by normalised URL. */
export interface SideModel {
  readonly roles: Map<string, RoleModel>;
  readonly oidc: Map<string, OidcModel>;
}

/** The `<namespace>/<name>` of a service-account role, from its trust policy's `…:sub` condition. */
function webIdentitySubject(trust: unknown): string | undefined {
  const statements = isRecord(trust) ? listOf(trust.Statement).filter(isRecord) : [];
  for (const st of statements) {
    const blocks = isRecord(st.Condition) ? Object.values(st.Condition) : [];
    for (const block of blocks.filter(isRecord)) {
      for (const [key, value] of Object.entries(block)) {
        const m = /:sub$/i.test(key) ? /^system:serviceaccount:([^:]+):(.+)$/.exec(String(listOf(value)[0])) : null;
        if (m !== null) return `${m[1]}/${m[2]}`;
      }
    }
  }
  return undefined;
}

/**
 * How roles are matched across the sides: by kind, not name. `sa:<namespace>/<name>` for a
 * service account's role (trust `:sub`, else kops' service-account tags, else the
 * `<sa>.<ns>.sa.` name); else the first label of the name: masters, nodes, bastions, apiservers.
 */
export function roleKind(role: RoleFact): string {
  const subject = webIdentitySubject(role.trust);
  if (subject !== undefined) return `sa:${subject}`;
  const tags = role.tags ?? {};
  const [tagName, tagNamespace] = [tags['service-account.kops.k8s.io/name'], tags['service-account.kops.k8s.io/namespace']];
  if (tagName !== undefined && tagNamespace !== undefined) return `sa:${tagNamespace}/${tagName}`;
  const m = /^([^.]+)\.([^.]+)\.sa\./.exec(role.name);
  if (m !== null) return `sa:${m[2]}/${m[1]}`;
  return (role.name || role.res).split('.')[0]!;
}

function emptyModel(key: string): RoleModel {
  return { key, profiles: [], policies: [], grants: new Map(), attachments: new Set(), trust: new Set(), boundary: '', errors: [] };
}

/** The model of one side: every role, profile, policy and attachment filed under its role's kind. */
export function sideModel(facts: IamFacts, ctx: NormContext, side: Side): SideModel {
  const roles = new Map<string, RoleModel>();
  const entry = (key: string): RoleModel => {
    if (!roles.has(key)) roles.set(key, emptyModel(key));
    return roles.get(key)!;
  };
  const kindByRes = new Map(facts.roles.map((r) => [r.res, roleKind(r)]));
  const kindByName = new Map(facts.roles.map((r) => [r.name, roleKind(r)]));
  const kindOf = (ref: RoleRef): string =>
    ref.res !== undefined ? (kindByRes.get(ref.res) ?? `res:${ref.res}`) : (kindByName.get(ref.name ?? '') ?? `existing:${ref.name}`);
  for (const role of facts.roles) {
    const e = entry(roleKind(role));
    if (e.role !== undefined) e.errors.push(`two roles of kind ${e.key}: ${e.role.name}, ${role.name}`);
    e.role = role;
    const trustError = docError(role.trust);
    if (trustError !== undefined) e.errors.push(trustError);
    e.trust = trustError === undefined ? trustLines(role.trust, ctx, side) : new Set();
    e.boundary = role.boundary === undefined ? '' : normalise(role.boundary, ctx, side);
  }
  for (const p of facts.profiles) entry(kindOf(p.role)).profiles.push(p.name);
  for (const p of facts.policies) {
    const e = entry(kindOf(p.role));
    e.policies.push(p.name);
    const error = docError(p.doc);
    if (error !== undefined) e.errors.push(error);
    else addGrants(p.doc, ctx, side, e.grants);
  }
  for (const a of facts.attachments) entry(kindOf(a.role)).attachments.add(normalise(a.arn, ctx, side));
  for (const e of roles.values()) e.profiles.sort();
  const oidc = new Map(
    facts.oidc.map((o) => [
      normalise(o.url, ctx, side),
      {
        url: o.url,
        clientIds: [...new Set(o.clientIds.map(String))].sort(),
        thumbprints: [...new Set(o.thumbprints.map((t) => String(t).toLowerCase()))].sort(),
      },
    ]),
  );
  return { roles, oidc };
}
