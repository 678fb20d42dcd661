import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/diagnostics/codes';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../src/diagnostics/diagnostic';
import { Report } from '../../src/diagnostics/report';

const at = (file: string, line: number, col: number, path = '') => ({ pos: { file, line, col }, path });

describe('Report', () => {
  it('collects errors and warnings in the order found; only errors fail the run', () => {
    const r = new Report();
    r.warning('KI205', at('a.yaml', 3, 1, 'spec'), 'w');
    expect(r.hasErrors).toBe(false);
    r.error('KI211', at('a.yaml', 2, 5, 'spec.configBase'), 'e');
    expect(r.hasErrors).toBe(true);
    expect(r.diagnostics).toEqual([
      { code: 'KI205', severity: 'warning', file: 'a.yaml', line: 3, col: 1, path: 'spec', message: 'w' },
      { code: 'KI211', severity: 'error', file: 'a.yaml', line: 2, col: 5, path: 'spec.configBase', message: 'e' },
    ]);
  });

  it('merges another report, errors included', () => {
    const own = new Report();
    own.error('KI106', at('b.yaml', 1, 1), 'x');
    const all = new Report();
    all.merge(own);
    expect([all.hasErrors, all.diagnostics.length]).toEqual([true, 1]);
  });
});

describe('formatDiagnostic and sortDiagnostics', () => {
  const d = (file: string, line: number, col: number, message: string, path = ''): Diagnostic => ({
    code: 'KI003',
    severity: 'error',
    file,
    line,
    col,
    path,
    message,
  });

  it('format as compilers do: FILE:LINE:COL: severity: PATH: MESSAGE', () => {
    expect(formatDiagnostic(d('in.yaml', 7, 21, 'bad', 'spec.x'))).toBe('in.yaml:7:21: error: spec.x: bad');
    expect(formatDiagnostic(d('in.yaml', 1, 1, 'bad'))).toBe('in.yaml:1:1: error: bad');
  });

  it('sort by file, line and column, stably, dropping exact repeats', () => {
    const list = [
      d('b.yaml', 1, 1, 'b'),
      d('a.yaml', 2, 1, 'second'),
      d('a.yaml', 2, 1, 'first-found-later'),
      d('a.yaml', 1, 9, 'a'),
      d('b.yaml', 1, 1, 'b'),
    ];
    expect(sortDiagnostics(list).map((x) => `${x.file}:${x.line}:${x.col}:${x.message}`)).toEqual([
      'a.yaml:1:9:a',
      'a.yaml:2:1:second',
      'a.yaml:2:1:first-found-later',
      'b.yaml:1:1:b',
    ]);
  });
});

describe('the code catalogue', () => {
  it('has stable KIxxx codes grouped by kind: input 0xx, manifest 1xx, cluster 2xx, policy 3xx, iam 4xx', () => {
    const kinds: Record<string, string[]> = {
      '0': ['input', 'limit'],
      '1': ['manifest'],
      '2': ['cluster'],
      '3': ['policy', 'limit'],
      '4': ['iam'],
    };
    for (const [code, info] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(code).toMatch(/^KI\d{3}$/);
      expect(kinds[code[2] as string], code).toContain(info.kind);
      expect(info.summary.length, code).toBeGreaterThan(5);
    }
    expect(DIAGNOSTIC_CODES.KI006).toEqual({ kind: 'limit', summary: 'YAML aliases expand too much' });
    expect(DIAGNOSTIC_CODES.KI317.kind).toBe('limit');
  });
});
