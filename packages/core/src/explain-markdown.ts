import type { ActionExplain, ClusterExplain, ExplainReport, RoleExplain, ServiceExplain, StatementExplain } from './explain';

/** Renders the permissions report as Markdown: per cluster, per role, a service table and the statements. */
export function renderExplainMarkdown(report: ExplainReport): string {
  return report.clusters.map(renderCluster).join('\n');
}

function renderCluster(c: ClusterExplain): string {
  const lines = [`# IAM permissions of cluster ${c.cluster}`, '', `Region \`${c.region}\`, partition \`${c.partition}\`.`];
  if (c.inputs.length > 0) {
    lines.push('', 'Resolved by Terraform at plan time:', '');
    for (const i of c.inputs) lines.push(`- ${code(i.expression)}: ${i.description}`);
  }
  for (const r of c.roles) lines.push('', ...renderRole(r));
  return `${lines.join('\n')}\n`;
}

function renderRole(r: RoleExplain): string[] {
  const head = `## ${r.plural}: role \`${r.roleName}\``;
  if (!r.managed) {
    return [
      head,
      '',
      `Existing role, not managed by kops-iam (customPolicies): ${code(r.existingRoleArn ?? '')}. kops-iam creates only the instance profile ${code(r.instanceProfileName)} for it; the role's permissions are whatever its own policies say.`,
    ];
  }
  const lines = [head, '', `Instance profile ${code(r.instanceProfileName)}.`, '', '| Service | Actions | Resources | From |', '|---|---|---|---|'];
  for (const s of r.services) lines.push(`| ${s.service === '*' ? 'every service' : code(s.service)} | ${serviceActions(s)} | ${s.resources.map(code).join(', ') || '–'} | ${serviceSources(s)} |`);
  lines.push('', '| Statement | From | Effect | Actions | Resources |', '|---|---|---|---|---|');
  for (const s of r.statements) lines.push(`| ${code(s.id)} | ${statementSource(s)} | ${s.effect} | ${statementActions(s)} | ${statementResources(s)} |`);
  return lines;
}

function serviceActions(s: ServiceExplain): string {
  const parts: string[] = [];
  if (s.service === '*') parts.push(s.allowed > 0 ? 'allowed: every action (`*` or NotAction)' : '');
  else if (s.allowed > 0) parts.push(s.total > 0 && s.allowed >= s.total ? `all ${s.total}` : s.total > 0 ? `${s.allowed} of ${s.total}` : `${s.allowed}`);
  if (s.denied > 0) parts.push(s.service === '*' ? 'denied: every action (`*` or NotAction)' : `${s.denied} denied`);
  return parts.filter((p) => p !== '').join('; ') || '–';
}

function serviceSources(s: ServiceExplain): string {
  return s.sources.map((src) => (src === 'kops' ? 'kops defaults' : 'additionalPolicies')).join(', ') + ` (${s.statements.map(code).join(', ')})`;
}

function statementSource(s: StatementExplain): string {
  return s.source === 'kops' ? `kops defaults${s.origin !== undefined ? ` (${s.origin})` : ''}` : 'additionalPolicies';
}

function actionText(a: ActionExplain): string {
  if (a.matches < 0) return `${code(a.pattern)} (every action)`;
  if (!/[*?]/.test(a.pattern)) return code(a.pattern);
  const service = a.pattern.split(':')[0] ?? '';
  const of = a.serviceTotal > 0 ? (a.matches >= a.serviceTotal ? `all ${a.serviceTotal} ${service} actions` : `${a.matches} of ${a.serviceTotal} ${service} actions`) : `${a.matches} actions`;
  return `${code(a.pattern)} (${of})`;
}

function statementActions(s: StatementExplain): string {
  const list = s.actions.map(actionText).join(', ');
  return s.notAction ? `every action except ${list}` : list;
}

function statementResources(s: StatementExplain): string {
  const list = s.resources.map(code).join(', ');
  const text = s.notResource ? `every resource except ${list}` : list;
  return s.condition !== undefined ? `${text}; when ${code(JSON.stringify(s.condition))}` : text;
}

/** Inline code in a table cell: backticks in the text lengthen the fence, pipes are escaped. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}
