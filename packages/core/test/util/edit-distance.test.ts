import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/util/edit-distance';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['DescribeInstancez', 'DescribeInstances', 1],
    ['node', 'nodes', 1],
    ['ab', 'ba', 2],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('ignores case, because IAM action names and the typos people make in them do', () => {
    expect(editDistance('StringLike', 'stringlike')).toBe(0);
  });
});

describe('closest', () => {
  it('suggests the real action for a one-letter typo', () => {
    expect(closest('DescribeInstancez', ['DescribeInstances', 'DescribeImages', 'RunInstances'])).toBe('DescribeInstances');
  });

  it('suggests nothing when every candidate is too far away', () => {
    expect(closest('Frobnicate', ['DescribeInstances', 'RunInstances'])).toBeUndefined();
  });

  it('allows fewer edits in short words than in long ones', () => {
    // 4 letters: one edit at most.
    expect(closest('nde', ['node'])).toBe('node');
    expect(closest('nx', ['node'])).toBeUndefined();
    // 17 letters: up to three edits.
    expect(closest('DescrybeInstanzes', ['DescribeInstances'])).toBe('DescribeInstances');
  });

  it('breaks ties the same way every time (alphabetically)', () => {
    expect(closest('cat', ['hat', 'bat'])).toBe('bat');
    expect(closest('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('prefers the nearer of two candidates', () => {
    expect(closest('StringEqual', ['StringNotEquals', 'StringEquals'])).toBe('StringEquals');
  });
});
