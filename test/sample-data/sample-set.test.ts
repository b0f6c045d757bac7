import { describe, expect, it } from 'vitest';
import { partners } from '../../config/partners.ts';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import { ContentScanner } from '../../services/file-landing/content-scan.ts';
import { SETTLEMENT_COLUMNS, TRANSACTION_COLUMNS } from './rows.ts';
import { majorOf, minorOf, readGenerated } from './sample-data.test-support.ts';
import { generateSampleSet, type SampleFile } from './sample-set.ts';

const DATES = ['2026-11-19', '2026-11-20'] as const;
const OPTIONS = { seed: 42, dates: DATES, rowsPerFile: 40 };
const set = generateSampleSet(OPTIONS);
const originals = set.filter((file) => file.expected.redeliveryOf === null);
const read = (file: SampleFile) => readGenerated(file.bytes, file.encoding);

describe('generateSampleSet', () => {
  it('produces the same bytes for the same seed', () => {
    // Act
    const again = generateSampleSet(OPTIONS);

    // Assess
    expect(again.map((file) => Buffer.from(file.bytes).toString('hex'))).toEqual(
      set.map((file) => Buffer.from(file.bytes).toString('hex')),
    );
    expect(again.map((file) => file.expected)).toEqual(set.map((file) => file.expected));
  });

  it('produces different bytes for another seed', () => {
    // Act
    const other = generateSampleSet({ ...OPTIONS, seed: 43 });

    // Assess
    expect(Buffer.from(other[0]?.bytes ?? []).equals(Buffer.from(set[0]?.bytes ?? []))).toBe(false);
  });

  it('delivers every partner dataset on every date, plus one identical re-delivery under the same key', () => {
    // Prepare
    const delivered = partners.flatMap((partner) =>
      Object.keys(partner.datasets).map((dataset) => `${partner.id}/${dataset}`),
    );

    // Act
    const redeliveries = set.filter((file) => file.expected.redeliveryOf !== null);

    // Assess
    expect(originals).toHaveLength(delivered.length * DATES.length);
    expect(new Set(originals.map((file) => file.landingKey)).size).toBe(originals.length);
    expect(redeliveries).toHaveLength(1);
    const [redelivery] = redeliveries;
    const original = originals.find((file) => file.landingKey === redelivery?.landingKey);
    expect(redelivery?.expected.redeliveryOf).toBe(original?.landingKey);
    expect(Buffer.from(redelivery?.bytes ?? []).equals(Buffer.from(original?.bytes ?? []))).toBe(true);
    for (const file of originals) {
      expect(file.landingKey).toBe(
        `inbound/${file.partner}/${file.dataset}/${file.businessDate}/${file.fileName}`,
      );
    }
  });

  it.each(originals.map((file) => [file.landingKey, file] as const))(
    'writes %s with trailer totals that equal its rows',
    (_key, file) => {
      // Act
      const { rows, trailer, header } = read(file);

      // Assess
      expect(header).toEqual(
        file.dataset === 'transactions' ? [...TRANSACTION_COLUMNS] : [...SETTLEMENT_COLUMNS],
      );
      expect(rows).toHaveLength(file.expected.rows);
      const spec = partners.find((partner) => partner.id === file.partner)?.datasets[file.dataset];
      if (spec?.trailer === 'required') expect(trailer).not.toBeNull();
      const amountAt = header.indexOf('amount');
      const currencyAt = header.indexOf('currency');
      const sums = new Map<string, bigint>();
      for (const row of rows) {
        const currency = row[currencyAt] ?? '';
        const minor = minorOf(row[amountAt] ?? '', currency);
        if (minor !== null) sums.set(currency, (sums.get(currency) ?? 0n) + minor);
      }
      const recomputed = Object.fromEntries(
        [...sums].map(([currency, minor]) => [currency, majorOf(minor, currency)]),
      );
      expect(file.expected.computed).toEqual({
        rowCount: rows.length,
        sums: Object.fromEntries([...sums].map(([currency, minor]) => [currency, minor.toString()])),
      });
      if (trailer) {
        expect(trailer).toEqual({ rowCount: rows.length, sums: recomputed });
        expect(file.expected.declared).toEqual(file.expected.computed);
      } else {
        expect(file.expected.declared).toBeNull();
      }
    },
  );

  it.each(originals.map((file) => [file.landingKey, file] as const))(
    'keeps the expected counts of %s consistent',
    (_key, file) => {
      // Prepare
      const { rows, header } = read(file);
      const { expected } = file;

      // Assess
      expect(expected.validRows + expected.quarantinedRows).toBe(expected.rows);
      expect(expected.quarantinedRows).toBe(expected.defects.length);
      expect(new Set(expected.defects.map((defect) => defect.row)).size).toBe(expected.defects.length);
      expect(expected.valid.rowCount).toBe(expected.validRows);
      for (const defect of expected.defects) {
        expect(defect.line).toBe(defect.row + 1);
        expect(rows[defect.row - 1]?.[header.indexOf(defect.field)]).toBe(defect.value);
      }
    },
  );

  it.each(originals.map((file) => [file.landingKey, file] as const))(
    'fails exactly the defect rows of %s against the dataset contract',
    (_key, file) => {
      // Prepare
      const contract = findDataset(file.dataset, 1);
      const { rows, header } = read(file);

      // Act
      const failures = rows.flatMap((fields, index) => {
        const parsed = contract?.rowSchema.safeParse(
          Object.fromEntries(header.map((column, at) => [column, fields[at] ?? ''])),
        );
        return parsed?.success
          ? []
          : [{ row: index + 1, paths: parsed?.error.issues.map((issue) => String(issue.path[0])) ?? [] }];
      });

      // Assess
      expect(contract?.columns).toEqual(header);
      expect(failures.map((failure) => failure.row)).toEqual(
        file.expected.defects.map((defect) => defect.row),
      );
      file.expected.defects.forEach((defect, index) => {
        expect(failures[index]?.paths).toContain(defect.field);
      });
    },
  );

  it('injects each row defect into first-date files only', () => {
    // Act
    const kinds = (date: string, dataset: string) =>
      originals
        .filter((file) => file.businessDate === date && file.dataset === dataset)
        .map((file) => file.expected.defects.map((defect) => defect.kind).sort());

    // Assess
    for (const found of kinds(DATES[0], 'transactions')) {
      expect(found).toEqual([
        'AMOUNT_DECIMALS',
        'AMOUNT_EXPONENT',
        'CURRENCY_MISSING',
        'NEGATIVE_PAYMENT',
        'TIMESTAMP_WITHOUT_OFFSET',
      ]);
    }
    for (const found of kinds(DATES[0], 'settlements'))
      expect(found).toEqual(['AMOUNT_EXPONENT', 'CURRENCY_MISSING']);
    expect(
      originals
        .filter((file) => file.businessDate === DATES[1])
        .every((file) => file.expected.defects.length === 0),
    ).toBe(true);
  });

  it.each([
    ['acme-bank', '+01:00'],
    ['globex-pay', '-05:00'],
    ['initech-acq', '+09:00'],
  ])('writes valid %s transactions per the contract, with offset %s', (partner, offset) => {
    // Prepare
    const files = originals.filter((file) => file.partner === partner && file.dataset === 'transactions');

    // Act
    const validRows = files.flatMap((file) => {
      const broken = new Set(file.expected.defects.map((defect) => defect.row));
      return read(file).rows.filter((_, index) => !broken.has(index + 1));
    });

    // Assess
    expect(validRows.length).toBeGreaterThan(0);
    for (const [, type = '', amount = '', currency = '', occurredAt = '', , , card = ''] of validRows) {
      expect(['payment', 'refund', 'chargeback', 'reversal']).toContain(type);
      expect(minorOf(amount, currency)).not.toBeNull();
      expect(amount.startsWith('-')).toBe(type !== 'payment');
      expect(occurredAt).toMatch(
        new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}${offset.replace('+', '\\+')}$`),
      );
      expect(card).toBe('');
    }
  });

  it('writes initech files as windows-1252 with CRLF line endings', () => {
    // Prepare
    const initech = originals.filter((file) => file.partner === 'initech-acq');

    // Act
    const decoded = initech.map(read);

    // Assess
    expect(initech.every((file) => file.encoding === 'windows-1252')).toBe(true);
    expect(decoded.every((file) => file.lineEnding === '\r\n')).toBe(true);
  });

  it('settles transactions of the same partner and date', () => {
    // Prepare
    const [settlement] = originals.filter(
      (file) =>
        file.partner === 'acme-bank' && file.dataset === 'settlements' && file.businessDate === DATES[1],
    );
    const [transactions] = originals.filter(
      (file) =>
        file.partner === 'acme-bank' && file.dataset === 'transactions' && file.businessDate === DATES[1],
    );

    // Act
    const ids = new Set(read(transactions as SampleFile).rows.map((row) => row[0]));

    // Assess
    expect(read(settlement as SampleFile).rows.every((row) => ids.has(row[1]))).toBe(true);
  });

  it('settles net of the fee: amount + fee equals the transaction amount', () => {
    // Prepare
    const [settlement] = originals.filter(
      (file) =>
        file.partner === 'acme-bank' && file.dataset === 'settlements' && file.businessDate === DATES[1],
    );
    const [transactions] = originals.filter(
      (file) =>
        file.partner === 'acme-bank' && file.dataset === 'transactions' && file.businessDate === DATES[1],
    );
    const amountOf = new Map(
      read(transactions as SampleFile).rows.map((row) => [row[0], minorOf(row[2] ?? '', row[3] ?? '')]),
    );

    // Act: rows with a readable amount, fee and transaction amount (defects aside).
    const checked = read(settlement as SampleFile).rows.flatMap((row) => {
      const [, reference = '', amount = '', fee = '', currency = ''] = row;
      const net = minorOf(amount, currency);
      const charged = minorOf(fee, currency);
      const expected = amountOf.get(reference);
      return net === null || charged === null || expected == null ? [] : [{ net, charged, expected }];
    });

    // Assess
    expect(checked.length).toBeGreaterThan(0);
    for (const { net, charged, expected } of checked) expect(net + charged).toBe(expected);
  });

  it('holds card numbers only where asked, as file-landing detects them', () => {
    // Prepare
    const withCards = generateSampleSet({ ...OPTIONS, cardNumbers: true });

    // Act
    const detected = withCards.map((file) => {
      const scanner = new ContentScanner();
      scanner.update(file.bytes);
      return scanner.finish().cardNumbers.count;
    });

    // Assess
    expect(withCards[0]?.expected.cardNumberRows).toHaveLength(2);
    expect(detected[0]).toBe(2);
    expect(detected.slice(1).every((count) => count === 0)).toBe(true);
    expect(set.map((file) => file.expected.cardNumberRows.length).every((count) => count === 0)).toBe(true);
    const first = withCards[0] as SampleFile;
    const { rows, header } = read(first);
    for (const row of first.expected.cardNumberRows) {
      const record = Object.fromEntries(header.map((column, at) => [column, rows[row - 1]?.[at] ?? '']));
      expect(findDataset('transactions', 1)?.rowSchema.safeParse(record).success).toBe(true);
    }
  });
});
