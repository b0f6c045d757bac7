import { describe, expect, it } from 'vitest';
import { findPartner, type PartnerSpec, partners } from '../../../config/partners.ts';
import { DEFAULT_DAY_RATES } from './day-rates.ts';
import { partnerDay } from './partner-day.ts';

describe('partnerDay', () => {
  it.each(partners.map((partner) => [partner.id, partner] as const))(
    'keeps the ground truth of %s conserved',
    (_id, partner) => {
      // Prepare / Act
      const day = partnerDay({
        seed: 11,
        date: '2026-11-19',
        transactions: 2_000,
        partner,
        rates: DEFAULT_DAY_RATES,
      });
      const { truth } = day;

      // Assess: every settling transaction ends in exactly one outcome, every file row is counted once.
      expect(
        truth.matchedTransactions + truth.partiallySettled + truth.unmatched + truth.amountMismatches,
      ).toBe(truth.settlingTransactions);
      expect(day.files.map((file) => file.dataset)).toEqual(['transactions', 'transactions', 'settlements']);
      expect(truth.rows.transactions + truth.rows.settlements).toBe(
        day.files.reduce((total, file) => total + file.expected.rows, 0),
      );
      expect(new Set(day.files.map((file) => file.landingKey)).size).toBe(3);
    },
  );

  it('injects every kind its partner rules can express at least once', () => {
    // Prepare / Act
    const acme = partnerDay({
      seed: 11,
      date: '2026-11-19',
      transactions: 500,
      partner: findPartner('acme-bank') as PartnerSpec,
      rates: DEFAULT_DAY_RATES,
    }).truth;

    // Assess
    expect(acme.invalid.transactions).toBeGreaterThanOrEqual(5);
    expect(acme.invalid.settlements).toBeGreaterThanOrEqual(2);
    expect(acme.duplicatesWithinFile.transactions).toBeGreaterThanOrEqual(2);
    expect(acme.duplicatesCrossFile).toBeGreaterThanOrEqual(1);
    expect(acme.conflictsCrossFile).toBeGreaterThanOrEqual(1);
    expect(acme.partiallySettled).toBeGreaterThanOrEqual(1);
    expect(acme.amountMismatches).toBeGreaterThanOrEqual(1);
    expect(acme.orphanSettlements).toBeGreaterThanOrEqual(1);
  });

  it('gives the same bytes for the same seed', () => {
    // Prepare
    const partner = partners[0] as PartnerSpec;
    const make = () =>
      partnerDay({ seed: 3, date: '2026-11-19', transactions: 300, partner, rates: DEFAULT_DAY_RATES });

    // Act
    const [first, second] = [make(), make()];

    // Assess
    expect(second.files.map((file) => Buffer.from(file.bytes).toString('base64'))).toEqual(
      first.files.map((file) => Buffer.from(file.bytes).toString('base64')),
    );
  });
});
