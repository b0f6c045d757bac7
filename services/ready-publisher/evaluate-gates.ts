import { findPartner } from '../../config/partners.ts';
import { type DatasetGates, type ExpectedFile, gatesFor, readyGates } from '../../config/ready-gates.ts';
import { weekdayOf } from './cutoff.ts';
import { GateFactsError, GatesNotDeclaredError } from './errors.ts';
import type { GateEvaluation, GateInput, GateResult, ReadyFacts } from './gate-facts.ts';
import {
  conflictsGate,
  fileOnTimeGate,
  matchingGate,
  quarantineGate,
  reconciliationGate,
  scopeGate,
} from './gates.ts';

/**
 * Evaluate every readiness gate of a dataset and business date from the facts known now. Pure and repeatable:
 * a late file or a rerun is the same call with newer facts.
 *
 * Primary course:
 * 1. Find the dataset's gates (config/ready-gates.ts); none declared throws, nothing is published ungated.
 * 2. Partners in scope: those expected for the date's weekday, plus any partner the facts mention, so an
 *    unexpected delivery is gated too. No partner at all fails `partners-in-scope`.
 * 3. Per partner, in id order: file on time (expected partners only), quarantine rate, open conflicts,
 *    reconciliation balanced and current, matching rate (datasets with a minimum). A missing fact fails its gate
 *    with a detail naming what is missing; it never passes.
 * 4. Ready exactly when every gate passed.
 */
export function evaluateGates(input: GateInput, specs: readonly DatasetGates[] = readyGates): GateEvaluation {
  const spec = gatesFor(input.dataset, specs);
  if (!spec) throw new GatesNotDeclaredError(input.dataset);
  const facts = input.facts;
  const byPartner = indexFacts(facts);
  const expected = expectedFiles(spec, input.businessDate);
  const partners = [
    ...new Set([
      ...expected.map((file) => file.partner),
      ...facts.files.map((file) => file.partner),
      ...facts.quarantine.map((fact) => fact.partner),
      ...facts.conflicts.map((fact) => fact.partner),
      ...facts.reconciliations.map((fact) => fact.partner),
      ...facts.matches.map((fact) => fact.partner),
    ]),
  ].sort();
  const gates: GateResult[] = [scopeGate(partners, input.dataset, input.businessDate)];
  for (const partner of partners) {
    const files = facts.files.filter((file) => file.partner === partner);
    const expectation = expected.find((file) => file.partner === partner);
    if (expectation) gates.push(onTime(expectation, input, files));
    gates.push(quarantineGate(partner, byPartner.quarantine.get(partner), spec));
    gates.push(conflictsGate(partner, byPartner.conflicts.get(partner), spec));
    gates.push(reconciliationGate(partner, byPartner.reconciliations.get(partner), files));
    if (spec.minMatchingRateBps !== null)
      gates.push(matchingGate(partner, byPartner.matches.get(partner), spec.minMatchingRateBps));
  }
  return {
    dataset: input.dataset,
    businessDate: input.businessDate,
    ready: gates.every((gate) => gate.passed),
    gates,
  };
}

function onTime(expected: ExpectedFile, input: GateInput, files: GateInput['facts']['files']): GateResult {
  const partner = findPartner(expected.partner);
  if (!partner) throw new GatesNotDeclaredError(`${input.dataset} (unknown partner ${expected.partner})`);
  return fileOnTimeGate(expected, partner.timezone, input.businessDate, input.now, files);
}

/** Partners expected to deliver for this business date. */
export function expectedFiles(spec: DatasetGates, businessDate: string): ExpectedFile[] {
  const weekday = weekdayOf(businessDate);
  const isWeekday = weekday >= 1 && weekday <= 5;
  return spec.expectedFiles.filter((file) => file.on === 'every-day' || isWeekday);
}

function byPartnerOnce<T extends { partner: string }>(kind: string, facts: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const fact of facts) {
    if (map.has(fact.partner))
      throw new GateFactsError(`two ${kind} facts for ${fact.partner}; pass only the latest`);
    map.set(fact.partner, fact);
  }
  return map;
}

function indexFacts(facts: ReadyFacts) {
  const fileIds = new Set<string>();
  for (const file of facts.files) {
    if (fileIds.has(file.fileId)) throw new GateFactsError(`file ${file.fileId} is listed twice`);
    fileIds.add(file.fileId);
    if (Number.isNaN(Date.parse(file.landedAt)))
      throw new GateFactsError(`file ${file.fileId} has landedAt "${file.landedAt}", not an instant`);
  }
  return {
    quarantine: byPartnerOnce('quarantine', facts.quarantine),
    conflicts: byPartnerOnce('conflict', facts.conflicts),
    reconciliations: byPartnerOnce('reconciliation', facts.reconciliations),
    matches: byPartnerOnce('match', facts.matches),
  };
}
