import { describe, expect, it } from 'vitest';
import { findMatchingRules, matchingRules } from '../../config/matching-rules.ts';
import { partners } from '../../config/partners.ts';
import { rulesProblems } from './rules-check.ts';

describe('config/matching-rules.ts', () => {
  it.each(partners.filter((partner) => partner.datasets.settlements).map((partner) => partner.id))(
    'declares sound rules for %s, which sends settlements',
    (partner) => {
      // Act
      const rules = findMatchingRules(partner);

      // Assess
      expect(rules).toBeDefined();
      expect(rules && rulesProblems(rules)).toEqual([]);
    },
  );

  it('declares rules only for registered partners, once each', () => {
    // Act
    const ids = matchingRules.map((rules) => rules.partner);

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => partners.some((partner) => partner.id === id))).toBe(true);
  });
});
