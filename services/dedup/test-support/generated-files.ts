import type { SilverValue } from '../../../contracts/datasets/dataset-contract.ts';
import { createRandom } from '../../../test/sample-data/prng.ts';
import { type SilverFile, txValues } from './fakes.ts';

/**
 * acme-bank transactions files, one business date each, drawing ids from a small pool: repeats within a file
 * (duplicates), a second amount for some ids (conflicts within and across files), ids sent again on later dates
 * (cross-file duplicates).
 * @example generatedFiles(11, { files: 4, rows: [12, 30], ids: 40 })
 */
export function generatedFiles(
  seed: number,
  shape: { readonly files: number; readonly rows: readonly [number, number]; readonly ids: number },
): SilverFile[] {
  const random = createRandom(seed);
  const amounts = ['10.00', '10.00', '10.00', '12.50'];
  return Array.from({ length: shape.files }, (_, file) => ({
    fileId: `f_${String(file + 1).repeat(24)}`,
    businessDate: `2026-11-2${file}`,
    rows: Array.from({ length: random.int(...shape.rows) }, (): SilverValue[] =>
      txValues(`tx-${random.int(0, shape.ids)}`, { amount: random.pick(amounts) }),
    ),
  }));
}
