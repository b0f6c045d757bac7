import { describe, expect, it } from 'vitest';
import { formatFinding } from './findings.ts';
import { type StoredItem, scanItem } from './item-scan.ts';
import { cardDataLocations } from './scan-report.ts';

describe('scanItem', () => {
  it.each<[string, StoredItem, string]>([
    ['a partition key', { pk: { S: 'CARD#4111111111111111' }, sk: { S: 'FILE' } }, 'attribute pk'],
    ['a number attribute, as stored text', { pk: { S: 'x' }, n: { N: '4111111111111111' } }, 'attribute n'],
    [
      'a nested map attribute',
      {
        pk: { S: 'x' },
        detail: { M: { rows: { L: [{ S: 'a' }, { M: { card: { S: '5555555555554444' } } }] } } },
      },
      'attribute detail.rows[1].card',
    ],
    [
      'a string set',
      { pk: { S: 'x' }, tags: { SS: ['a', '378282246310005'] } },
      'attribute tags set element 2',
    ],
    [
      'a binary attribute',
      { pk: { S: 'x' }, raw: { B: new TextEncoder().encode('4111111111111111') } },
      'attribute raw, line 1, column 1',
    ],
    [
      'an attribute name',
      { pk: { S: 'x' }, m: { M: { '4111111111111111': { BOOL: true } } } },
      'attribute name m.************1111',
    ],
  ])('finds a card number in %s', (_name, item, where) => {
    // Act
    const hits = scanItem(item);

    // Assess
    expect(hits.map((hit) => hit.where)).toEqual([where]);
    expect(JSON.stringify(hits)).not.toMatch(/4111111111111111|5555555555554444|378282246310005/);
  });

  it.each<[string, StoredItem]>([
    ['an epoch-millisecond number', { id: { S: 'x' }, in_progress_expiration: { N: '1796534412579' } }],
    ['a hashed idempotency key', { id: { S: 'file-landing#2N5rY7XXSl2cVCIeTAVcMw==' } }],
    ['an md5 payload hash', { validation: { S: '7f0aeaaa4939c2150413b50fb2c1d584' } }],
    ['epoch seconds and amounts', { expiration: { N: '1796534412' }, amount: { N: '105025' } }],
  ])('reports nothing for %s', (_name, item) => {
    expect(scanItem(item)).toEqual([]);
  });
});

describe('cardDataLocations', () => {
  const isCardData = cardDataLocations(
    {
      buckets: [
        {
          name: 'quarantine',
          purpose: '',
          immutable: false,
          eventBridgeNotifications: false,
          prefixes: ['quarantine/', 'restricted/'],
          cardDataPrefixes: ['restricted/'],
        },
      ],
    },
    (name) => `finledger-local-${name}`,
  );

  it.each([
    ['finledger-local-quarantine', 'restricted/f_1/a.csv', true],
    ['finledger-local-quarantine', 'quarantine/restricted/a.csv', false],
    ['finledger-local-landing', 'restricted/a.csv', false],
  ])('judges bucket %s key %s as card-data location: %s', (bucket, key, expected) => {
    expect(isCardData(bucket, key)).toBe(expected);
  });
});

describe('formatFinding', () => {
  it('names the store, the place and the masked excerpt on one line', () => {
    expect(
      formatFinding({
        store: 'item',
        container: 'finledger-local-files',
        entry: 'pk=FILE#f_1, sk=FILE',
        where: 'attribute note',
        excerpt: '************1111',
      }),
    ).toBe(
      'item: table finledger-local-files item pk=FILE#f_1, sk=FILE at attribute note: "************1111"',
    );
  });
});
