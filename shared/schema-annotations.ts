// A JSON schema without the annotations no code here reads (descriptions, editor hints, defaults, examples): what
// the vendored schemas keep, so the Worker does not ship them. Never drops a keyword a validator reads, nor a property
// that merely has an annotation's name (`ports[].description` in .gitpod.yml stays a property).

/** Annotation keywords: @cfworker/json-schema ignores them, and the messages are written from other keywords. */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  'title',
  'description',
  'markdownDescription',
  'deprecationMessage',
  'deprecated',
  'enumDescriptions',
  'default',
  'defaultSnippets',
  'examples',
  // VS Code's JSONC hints; devcontainer.json's comments and trailing commas are judged in devcontainer-config.ts.
  'allowComments',
  'allowTrailingCommas',
]);

// Keywords whose value is a map of names to schemas (draft 7's `dependencies` may map to a list of names: a list is
// left as it is), a schema, or a list of schemas (`items` is either).
const SCHEMA_MAPS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependencies',
  'dependentSchemas',
]);
const SCHEMA_VALUED = new Set([
  'not',
  'if',
  'then',
  'else',
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'propertyNames',
]);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function withoutAnnotations(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const kept: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (SCHEMA_MAPS.has(keyword) && isObject(value))
      kept[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, s]) => [name, withoutAnnotations(s)]),
      );
    else if (SCHEMA_LISTS.has(keyword) && Array.isArray(value)) kept[keyword] = value.map(withoutAnnotations);
    else if (SCHEMA_VALUED.has(keyword)) kept[keyword] = withoutAnnotations(value);
    else kept[keyword] = value;
  }
  return kept;
}
