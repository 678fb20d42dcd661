import { explainPlans, loadPlans, renderClusterMarkdown, type ClusterExplain, type InputFile } from '@kops-iam/core';
import { nextTurn, type CliIO } from './cli-io';
import { reportDiagnostics } from './report-diagnostics';
import { refExpression } from './terraform-names';

/**
 * `kops-iam explain`: the permissions report, written a cluster at a time. The whole
 * report of 50,000 clusters is longer than V8's longest string; written in pieces, it is
 * never held whole, and the command stops as soon as nobody reads (`| head`).
 */
export async function explainCommand(inputs: readonly InputFile[], format: 'md' | 'json', io: CliIO): Promise<number> {
  const result = await loadPlans(inputs, { featureFlags: io.env.KOPS_FEATURE_FLAGS });
  reportDiagnostics(result.diagnostics, io);
  if (!result.ok) return 1;
  const plans = result.clusters.map((c) => c.plan);
  const piece = format === 'json' ? jsonPiece : markdownPiece;
  const drained = io.drained ?? nextTurn;
  for (const [i, plan] of plans.entries()) {
    const { clusters } = await explainPlans([plan], refExpression);
    for (const cluster of clusters) io.stdout(piece(cluster, i === 0));
    if (!(await drained())) return 0;
  }
  io.stdout(format === 'json' ? (plans.length === 0 ? JSON_EMPTY : JSON_END) : '');
  return 0;
}

/** One cluster's part of renderExplainMarkdown's text, which joins the clusters with a blank line. */
function markdownPiece(cluster: ClusterExplain, first: boolean): string {
  return `${first ? '' : '\n'}${renderClusterMarkdown(cluster)}`;
}

/**
 * One cluster's part of `JSON.stringify(report, null, 2)`: the same text, cut at the
 * clusters. JSON strings hold no raw line break, so indenting every line is safe.
 */
function jsonPiece(cluster: ClusterExplain, first: boolean): string {
  const body = JSON.stringify(cluster, null, 2).replace(/^/gm, '    ');
  return `${first ? JSON_START : ',\n'}${body}`;
}

const JSON_START = '{\n  "clusters": [\n';
const JSON_END = '\n  ]\n}\n';
const JSON_EMPTY = '{\n  "clusters": []\n}\n';
