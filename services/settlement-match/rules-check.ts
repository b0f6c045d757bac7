import type { MatchingRules } from '../../config/matching-rules.ts';
import { MatchRulesError } from './errors.ts';

/** Problems that make a partner's rules unusable; empty when they are sound. */
export function rulesProblems(rules: MatchingRules): string[] {
  const problems: string[] = [];
  if (rules.passes.length === 0) problems.push('no matching pass');
  const names = rules.passes.map((pass) => pass.name);
  if (new Set(names).size !== names.length) problems.push('pass names repeat');
  for (const [name, days] of [
    ['settlementWaitDays', rules.settlementWaitDays],
    ['windowDays', rules.windowDays],
  ] as const) {
    if (!Number.isSafeInteger(days) || days < 0) problems.push(`${name} must be a whole number ≥ 0`);
  }
  if (rules.windowDays < rules.settlementWaitDays) {
    problems.push('windowDays must be ≥ settlementWaitDays, or items leave the window before they age');
  }
  const tolerances = [rules.toleranceMinor.default, ...Object.values(rules.toleranceMinor.byCurrency)];
  if (tolerances.some((tolerance) => tolerance === undefined || tolerance < 0n)) {
    problems.push('tolerances must be ≥ 0 minor units');
  }
  return problems;
}

/** Throw MatchRulesError unless the rules are sound (a deployment bug, so it throws). */
export function assertRules(rules: MatchingRules): void {
  const problems = rulesProblems(rules);
  if (problems.length > 0) throw new MatchRulesError(rules.partner, problems);
}
