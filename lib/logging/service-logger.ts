import { Logger } from '@aws-lambda-powertools/logger';
import { maskCardNumbers } from '../card-data/card-numbers.ts';

/**
 * JSON replacer that passes every string (and bigint) of a log line through the one masking function, so a card
 * number a partner put in a file name, an object key or an error message never reaches a log in clear.
 * Numbers stay as they are: JSON numbers above 2^53 lose digits anyway, and money travels as strings or bigints.
 * @example JSON.stringify({ key: 'inbound/…/4111111111111111.csv' }, maskingJsonReplacer) // '{"key":"inbound/…/************1111.csv"}'
 */
export function maskingJsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return maskCardNumbers(value);
  if (typeof value === 'bigint') return maskCardNumbers(value.toString());
  return value;
}

/**
 * The Powertools logger every service uses: its JSON replacer masks card numbers in every attribute, including
 * error messages and stacks (Powertools formats errors after the replacer, and the replacer then sees their strings).
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/#custom-json-replacer-function
 */
export function serviceLogger(serviceName: string): Logger {
  return new Logger({
    serviceName,
    jsonReplacerFn: maskingJsonReplacer as (key: string, value: unknown) => unknown,
  });
}
