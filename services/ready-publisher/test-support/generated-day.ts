import { findDataset } from '../../../contracts/datasets/catalog.ts';
import type {
  DatasetContract,
  SilverColumn,
  SilverValue,
} from '../../../contracts/datasets/dataset-contract.ts';
import { createRandom, type Random } from '../../../test/sample-data/prng.ts';
import type { CuratedFile } from './curated-parts.ts';

/** Text where UTF-16 and UTF-8 orders part (U+E000–U+FFFF vs supplementary), NUL, NFD/NFC forms, U+FEFF, empty. */
export const TEXT_PIECES = [
  ...['', 'a', 'A', 'z', '0', ' ', 'tx-1', '\u0000', '\u0001', '\u00ff', '\u3042', '\ud7ff'],
  ...['é', 'e\u0301', 'Å', 'A\u030a', '\u212b', '\ufeff'],
  ...['\ue000', '\uf8ff', '\ufb01', '\ufffd', '\uffff', '😀', '\u{10000}', '\u{1d11e}', '\u{10ffff}'],
];
/** Partners ordered differently by UTF-16 code units ('😀' < '\ufffd') and by code points. */
export const PARTNERS = ['acme-bank', 'e\u0301-acq', '😀pay', '\ufffdpay'];
const MICROS_PER_YEAR = 31_556_952_000_000;

export const contractOf = (name: string): DatasetContract => {
  const contract = findDataset(name, 1);
  if (!contract) throw new Error(`No contract ${name} v1`);
  return contract;
};

/** As JavaScript reads it back from Parquet (a default TextDecoder drops one leading U+FEFF). */
export const asRead = (text: string) => (text.startsWith('\ufeff') ? text.slice(1) : text);
const text = (random: Random) =>
  Array.from({ length: random.int(1, 4) }, () => random.pick(TEXT_PIECES)).join('');

function randomValue(column: SilverColumn, random: Random): SilverValue {
  if (column.nullable && random.chance(0.2)) return null;
  if (column.name === 'currency') return random.pick(['EUR', 'JPY', 'KWD', '€😀', '\ufffd']);
  switch (column.type) {
    case 'STRING':
      return text(random);
    case 'INT32':
    case 'DATE':
      return random.int(-(2 ** 31), 2 ** 31 - 1);
    case 'INT64':
      return random.chance(0.2)
        ? random.pick([0n, -1n, 2n ** 63n - 1n, -(2n ** 53n) - 3n])
        : BigInt(random.int(-1e9, 1e9));
    case 'TIMESTAMP_MICROS':
      return BigInt(Math.floor((random.next() - 0.5) * 150 * MICROS_PER_YEAR));
  }
}

function shuffled<T>(items: T[], random: Random): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = random.int(0, index);
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}

/**
 * A day of 1-2 files per partner (tests only), unique natural keys made of tricky text, each file's rows in a random order.
 * @example const day = await curatedDay(contract, DATE, generatedFiles(contract, 11))
 */
export function generatedFiles(contract: DatasetContract, seed: number): CuratedFile[] {
  const random = createRandom(seed);
  const keyColumn = contract.naturalKey[1] as string;
  return PARTNERS.flatMap((partner, at) => {
    const seen = new Set<string>();
    return Array.from({ length: random.int(1, 2) }, (_, file) => {
      const count = random.int(40, 120);
      const rowNumbers = shuffled(
        Array.from({ length: count }, (_, index) => index + 2),
        random,
      );
      const rows = rowNumbers.map((rowNumber) => {
        let key = text(random);
        while (seen.has(asRead(key))) key = `${key}${random.pick(TEXT_PIECES)}${random.int(0, 9)}`;
        seen.add(asRead(key));
        const values = contract.silverColumns.map((column) =>
          column.name === keyColumn ? key : randomValue(column, random),
        );
        return { values, rowNumber };
      });
      return {
        partner,
        fileId: `f_${at}${random.pick(['', '\uffff', '😀'])}_${file}`,
        sha256: String(at * 7 + file)
          .repeat(64)
          .slice(0, 64),
        rows,
        partRows: random.int(15, 50),
        viaDuckDb: file === 0,
      };
    });
  });
}
