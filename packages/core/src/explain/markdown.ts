import type {
  ActionExplain,
  ClusterExplain,
  ExplainReport,
  RoleExplain,
  ServiceExplain,
  StatementExplain,
  StatementSource,
} from './report';

/** Renders the permissions report as Markdown: per cluster, per role, a service table and the statements. */
export function renderExplainMarkdown(report: ExplainReport): string {
  return report.clusters.map(renderClusterMarkdown).join('\n');
}

/** One cluster of the report as Markdown (a large report is written a cluster at a time). */
export function renderClusterMarkdown(c: ClusterExplain): string {
  const generation =
    c.generation.kind === 'strict'
      ? "strict (kops' scoped policies, as kops 1.8 and later write " + 'them)'
      : 'legacy (the broad lists of kops before 1.8)';
  const lines = [
    `# IAM permissions of cluster ${c.cluster}`,
    '',
    `Region \`${c.region}\`, partition \`${c.partition}\`.`,
    '',
    `IAM generation: ${generation}: ${c.generation.reason}.`,
  ];
  if (c.inputs.length > 0) {
    lines.push('', 'Resolved by Terraform at plan time:', '');
    for (const i of c.inputs) lines.push(`- ${code(i.expression)}: ${i.description}`);
  }
  for (const r of c.roles) lines.push('', ...renderRole(r));
  return `${lines.join('\n')}\n`;
}

function renderRole(r: RoleExplain): string[] {
  if (r.existing?.kind === 'instance-profile') {
    return [
      `## ${r.plural}: instance profile ${code(r.instanceProfileName)}`,
      '',
      `Existing instance profile, not managed by kops-iam (spec.iam.profile): ${code(r.existing.arn)}. kops-iam creates no role, policy ` +
        `or profile for it; its permissions are whatever its role's policies say.`,
    ];
  }
  const head = `## ${r.plural}: role ${code(r.roleName)}`;
  if (!r.managed) {
    return [
      head,
      '',
      `Existing role, not managed by kops-iam (customPolicies): ${code(r.existing?.arn ?? '')}. kops-iam creates only the instance ` +
        `profile ${code(r.instanceProfileName)} for it; the role's permissions are whatever its own policies say.`,
    ];
  }
  const about = r.instanceProfileName !== '' ? [`Instance profile ${code(r.instanceProfileName)}.`] : trustLines(r);
  if (r.statements.length === 0) {
    const only =
      r.attachments.length > 0 ? 'only what its attached managed policies allow' : 'nothing (kops gives this role no permissions)';
    return [head, '', ...about, ...extras(r), '', `No inline policy: the role may do ${only}.`];
  }
  const lines = [head, '', ...about, ...extras(r), '', '| Service | Actions | Resources | From |', '|---|---|---|---|'];
  for (const s of r.services)
    lines.push(
      `| ${s.service === '*' ? 'every service' : code(s.service)} | ${serviceActions(s)} | ${s.resources.map(code).join(', ') || '–'} | ` +
        `${serviceSources(s)} |`,
    );
  lines.push('', '| Statement | From | Effect | Actions | Resources |', '|---|---|---|---|---|');
  for (const s of r.statements)
    lines.push(`| ${code(s.id)} | ${statementSource(s)} | ${s.effect} | ${statementActions(s)} | ${statementResources(s)} |`);
  return lines;
}

/** Who may assume a service account's role. */
function trustLines(r: RoleExplain): string[] {
  return r.trust.map(
    (t) => `Assumed by ${t.principal ?? 'nobody'}${t.conditions !== undefined ? ` when ${t.conditions.map(code).join(' and ')}` : ''}.`,
  );
}

/** Attachments and the permissions boundary, when the role has them. */
function extras(r: RoleExplain): string[] {
  const out: string[] = [];
  if (r.attachments.length > 0) out.push('', `Managed policies attached: ${r.attachments.map(code).join(', ')}.`);
  if (r.permissionsBoundary !== undefined)
    out.push('', `Permissions boundary ${code(r.permissionsBoundary)}: the role may do only what both it and its policies allow.`);
  return out;
}

function serviceActions(s: ServiceExplain): string {
  const parts: string[] = [];
  if (s.service === '*') parts.push(s.allowed > 0 ? 'allowed: every action (`*` or NotAction)' : '');
  else if (s.allowed > 0)
    parts.push(s.total > 0 && s.allowed >= s.total ? `all ${s.total}` : s.total > 0 ? `${s.allowed} of ${s.total}` : `${s.allowed}`);
  if (s.denied > 0) parts.push(s.service === '*' ? 'denied: every action (`*` or NotAction)' : `${s.denied} denied`);
  return parts.filter((p) => p !== '').join('; ') || '–';
}

function sourceName(source: StatementSource): string {
  return source === 'kops' ? 'kops defaults' : source;
}

function serviceSources(s: ServiceExplain): string {
  return s.sources.map(sourceName).join(', ') + ` (${s.statements.map(code).join(', ')})`;
}

function statementSource(s: StatementExplain): string {
  return s.source === 'kops' ? `kops defaults${s.origin !== undefined ? ` (${s.origin})` : ''}` : s.source;
}

function actionText(a: ActionExplain): string {
  if (a.matches < 0) return `${code(a.pattern)} (every action)`;
  if (!/[*?]/.test(a.pattern)) return code(a.pattern);
  const service = a.pattern.split(':')[0] ?? '';
  const of =
    a.serviceTotal > 0
      ? a.matches >= a.serviceTotal
        ? `all ${a.serviceTotal} ${service} actions`
        : `${a.matches} of ${a.serviceTotal} ${service} actions`
      : `${a.matches} actions`;
  return `${code(a.pattern)} (${of})`;
}

function statementActions(s: StatementExplain): string {
  const list = s.actions.map(actionText).join(', ');
  return s.notAction ? `every action except ${list}` : list;
}

function statementResources(s: StatementExplain): string {
  const list = s.resources.map(code).join(', ');
  const text = s.notResource ? `every resource except ${list}` : list;
  return s.conditions !== undefined ? `${text}; when ${s.conditions.map(code).join(' and ')}` : text;
}

/** Inline code in a table cell: backticks in the text lengthen the fence, pipes are escaped. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}
