import { describe, expect, it } from 'vitest';
import { breakingChanges } from './json-schema-compatibility.ts';

const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

describe('breakingChanges', () => {
  it.each([
    ['integer widened to number', { type: 'integer' }, { type: 'number' }],
    ['a bound relaxed', { type: 'string', maxLength: 8 }, { type: 'string', maxLength: 16 }],
    ['an enum value added', { type: 'string', enum: ['a'] }, { type: 'string', enum: ['a', 'b'] }],
    ['made nullable', { type: 'string' }, { anyOf: [{ type: 'string' }, { type: 'null' }] }],
    [
      'an optional field added',
      object({ a: { type: 'string' } }, ['a']),
      object({ a: { type: 'string' }, b: { type: 'string' } }, ['a']),
    ],
    [
      'a required field made optional',
      object({ a: { type: 'string' } }, ['a']),
      object({ a: { type: 'string' } }),
    ],
    ['descriptions changed', { type: 'string', description: 'x' }, { type: 'string', description: 'y' }],
  ])('accepts %s', (_, older, newer) => {
    // Act / Assess
    expect(breakingChanges(older, newer)).toEqual([]);
  });

  it.each([
    ['number narrowed to integer', { type: 'number' }, { type: 'integer' }, 'TYPE_CHANGED', ''],
    ['a minimum raised', { type: 'integer', minimum: 0 }, { type: 'integer', minimum: 1 }, 'NARROWED', ''],
    ['a pattern added', { type: 'string' }, { type: 'string', pattern: '^a' }, 'NARROWED', ''],
    [
      'an enum value removed',
      { type: 'string', enum: ['a', 'b'] },
      { type: 'string', enum: ['a'] },
      'ENUM_VALUE_REMOVED',
      '',
    ],
    [
      'null no longer allowed',
      { anyOf: [{ type: 'string' }, { type: 'null' }] },
      { type: 'string' },
      'TYPE_CHANGED',
      '',
    ],
    ['a field removed', object({ a: { type: 'string' } }), object({}), 'FIELD_REMOVED', 'a'],
    [
      'an optional field made required',
      object({ a: { type: 'string' } }),
      object({ a: { type: 'string' } }, ['a']),
      'FIELD_MADE_REQUIRED',
      'a',
    ],
    [
      'a nested item narrowed',
      { type: 'array', items: object({ a: { type: 'string' } }) },
      { type: 'array', items: object({ a: { type: 'string', maxLength: 2 } }) },
      'NARROWED',
      '[].a',
    ],
  ])('refuses %s', (_, older, newer, rule, path) => {
    // Act
    const changes = breakingChanges(older, newer);

    // Assess
    expect(changes).toContainEqual(expect.objectContaining({ rule, path }));
  });
});
