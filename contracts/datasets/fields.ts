import { isLuhnValid } from './pan.ts';
import { TextSchema } from './safe-text.ts';

/** Identifier text: 1-128 characters, no hidden character, no leading or trailing whitespace, no line breaks. */
export const IdentifierSchema = TextSchema.min(1, 'is required')
  .max(128, 'is longer than 128 characters')
  .regex(/^\S(?:.*\S)?$/, 'has leading or trailing whitespace or a line break');

/** Optional text: empty (absent) or an identifier. */
export const OptionalTextSchema = TextSchema.max(128, 'is longer than 128 characters').regex(
  /^(?:\S(?:.*\S)?)?$/,
  'has leading or trailing whitespace or a line break',
);

// Instants and plain dates live in instants.ts; re-exported here, where every field schema is looked for.
export { dateToEpochDays, InstantTextSchema, instantToMicros } from './instants.ts';

/** Empty (no card) or a 13-19 digit Luhn-valid card number; messages never echo the value. */
export const OptionalPanSchema = TextSchema.regex(
  /^(?:[0-9]{13,19})?$/,
  'must be empty or 13-19 digits',
).refine((value) => value === '' || isLuhnValid(value), 'fails the Luhn check');
