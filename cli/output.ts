import { maskCardNumbers } from '../lib/card-data/card-numbers.ts';
import { maskingJsonReplacer } from '../lib/logging/service-logger.ts';

/**
 * Everything the CLI prints goes through here: partner text (file names, keys, reasons, lineage values) passes the
 * one masking function, so a card number never reaches a terminal, a pasted ticket or a CI log in clear.
 * @example printText(formatReport(report))
 */
export function printText(text: string): void {
  console.log(maskCardNumbers(text));
}

/** JSON output: every string masked, bigints as (masked) strings; numbers as they are. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, maskingJsonReplacer, 2));
}

/**
 * Text exactly as given (no line end added), masked: for output that ends its own lines, such as CSV's CRLF.
 * @example writeText('a,b\r\n')
 */
export function writeText(text: string): void {
  process.stdout.write(maskCardNumbers(text));
}
