/**
 * BACKWARD compatibility of two JSON Schemas (draft 2020-12 as zod emits it): every document the older schema
 * accepts must still be accepted by the newer one, and no field may disappear, so consumers on the newer version
 * read what producers on the older one wrote (Confluent's BACKWARD rule, checked transitively by the caller).
 */

/** Why a newer version breaks an older one. */
export type BreakingRule =
  | 'FIELD_REMOVED'
  | 'REQUIRED_FIELD_ADDED'
  | 'FIELD_MADE_REQUIRED'
  | 'TYPE_CHANGED'
  | 'ENUM_VALUE_REMOVED'
  | 'NARROWED';

export interface BreakingChange {
  /** Dotted path of the field (`data.sizeBytes`, `data.inputs[].fileId`); empty for the document itself. */
  readonly path: string;
  readonly rule: BreakingRule;
  readonly detail: string;
}

type Schema = Readonly<Record<string, unknown>>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);
const where = (path: string): string => (path === '' ? 'the document' : path);

/** Keys that describe rather than constrain. */
const ANNOTATIONS = new Set(['$id', '$schema', 'title', 'description', 'examples', 'default', 'x-finledger']);

function typesOf(schema: Schema): Set<string> | undefined {
  const { type } = schema;
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type)) return new Set(type.map(String));
  return undefined;
}

function typeChanges(older: Schema, newer: Schema, path: string): BreakingChange[] {
  const before = typesOf(older);
  const after = typesOf(newer);
  if (!after) return [];
  const lost = before
    ? [...before].filter((type) => !after.has(type) && !(type === 'integer' && after.has('number')))
    : ['any'];
  return lost.length === 0
    ? []
    : [
        {
          path,
          rule: 'TYPE_CHANGED',
          detail: `${where(path)} was ${before ? [...before].join(' | ') : 'untyped'}, is now ${[...after].join(' | ')}`,
        },
      ];
}

function allowedValues(schema: Schema): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

function valueChanges(older: Schema, newer: Schema, path: string): BreakingChange[] {
  const after = allowedValues(newer);
  if (!after) return [];
  const before = allowedValues(older);
  if (!before)
    return [{ path, rule: 'NARROWED', detail: `${where(path)} is now limited to ${JSON.stringify(after)}` }];
  const removed = before.filter((value) => !after.some((kept) => same(kept, value)));
  return removed.map((value) => ({
    path,
    rule: 'ENUM_VALUE_REMOVED',
    detail: `${where(path)} no longer accepts ${JSON.stringify(value)}`,
  }));
}

/** Bounds whose growth (`min…`) or shrinkage (`max…`) rejects values the older version accepted. */
const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];
/** Constraints that cannot be compared: any change may reject an older value. */
const OPAQUE = ['pattern', 'format', 'multipleOf'];

function boundChanges(older: Schema, newer: Schema, path: string): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const narrowed = (key: string, was: unknown, is: unknown) =>
    changes.push({
      path,
      rule: 'NARROWED',
      detail: `${where(path)} ${key} ${was === undefined ? 'added' : `changed from ${JSON.stringify(was)}`} to ${JSON.stringify(is)}`,
    });
  for (const key of LOWER_BOUNDS) {
    const is = newer[key];
    const was = older[key];
    if (typeof is === 'number' && (typeof was !== 'number' || is > was)) narrowed(key, was, is);
  }
  for (const key of UPPER_BOUNDS) {
    const is = newer[key];
    const was = older[key];
    if (typeof is === 'number' && (typeof was !== 'number' || is < was)) narrowed(key, was, is);
  }
  for (const key of OPAQUE)
    if (key in newer && !same(older[key], newer[key])) narrowed(key, older[key], newer[key]);
  return changes;
}

function objectChanges(older: Schema, newer: Schema, path: string): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const before = isSchema(older.properties) ? older.properties : {};
  const after = isSchema(newer.properties) ? newer.properties : {};
  const requiredBefore = new Set(Array.isArray(older.required) ? older.required.map(String) : []);
  const requiredAfter = Array.isArray(newer.required) ? newer.required.map(String) : [];
  for (const [name, schema] of Object.entries(before)) {
    const field = join(path, name);
    const kept = after[name];
    if (kept === undefined)
      changes.push({ path: field, rule: 'FIELD_REMOVED', detail: `${field} was removed` });
    else if (isSchema(schema) && isSchema(kept)) changes.push(...breakingChanges(schema, kept, field));
  }
  for (const name of requiredAfter) {
    if (requiredBefore.has(name)) continue;
    const field = join(path, name);
    changes.push(
      name in before
        ? { path: field, rule: 'FIELD_MADE_REQUIRED', detail: `${field} was optional and is now required` }
        : { path: field, rule: 'REQUIRED_FIELD_ADDED', detail: `${field} is a new required field` },
    );
  }
  if (newer.additionalProperties === false && older.additionalProperties !== false)
    changes.push({ path, rule: 'NARROWED', detail: `${where(path)} no longer accepts other fields` });
  else if (isSchema(older.additionalProperties) && isSchema(newer.additionalProperties))
    changes.push(...breakingChanges(older.additionalProperties, newer.additionalProperties, join(path, '*')));
  return changes;
}

function branchChanges(older: Schema, newer: Schema, path: string): BreakingChange[] {
  const branchesOf = (schema: Schema): Schema[] =>
    Array.isArray(schema.anyOf) ? schema.anyOf.filter(isSchema) : [schema];
  const after = branchesOf(newer);
  const changes: BreakingChange[] = [];
  for (const branch of branchesOf(older)) {
    const candidates = after.map((candidate) => breakingChanges(branch, candidate, path));
    if (candidates.some((found) => found.length === 0)) continue;
    // One candidate: its own findings name the field; several: say which shape lost its home.
    if (candidates.length === 1) changes.push(...(candidates[0] ?? []));
    else
      changes.push({
        path,
        rule: 'NARROWED',
        detail: `${where(path)} no longer accepts ${JSON.stringify(branch.type ?? branch)} values the older version did`,
      });
  }
  return changes;
}

/**
 * What in `newer` rejects documents `older` accepts, or drops a field `older` had. Empty when compatible.
 * @example breakingChanges({ type: 'string' }, { type: 'integer' }) // [{ path: '', rule: 'TYPE_CHANGED', … }]
 */
export function breakingChanges(older: Schema, newer: Schema, path = ''): BreakingChange[] {
  if (same(older, newer)) return [];
  if (Array.isArray(older.anyOf) || Array.isArray(newer.anyOf)) return branchChanges(older, newer, path);
  const unknown = Object.keys(newer).filter(
    (key) =>
      !ANNOTATIONS.has(key) &&
      ![
        'type',
        'const',
        'enum',
        'properties',
        'required',
        'additionalProperties',
        'items',
        ...LOWER_BOUNDS,
        ...UPPER_BOUNDS,
        ...OPAQUE,
      ].includes(key) &&
      !same(older[key], newer[key]),
  );
  return [
    ...typeChanges(older, newer, path),
    ...valueChanges(older, newer, path),
    ...boundChanges(older, newer, path),
    ...objectChanges(older, newer, path),
    ...(isSchema(older.items) && isSchema(newer.items)
      ? breakingChanges(older.items, newer.items, `${path}[]`)
      : []),
    ...unknown.map((key) => ({
      path,
      rule: 'NARROWED' as const,
      detail: `${where(path)} changed ${key}, which this check cannot prove compatible`,
    })),
  ];
}
