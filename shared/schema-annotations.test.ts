import { describe, expect, it } from 'vitest';
import devcontainerSchema from './devcontainer-schema.json';
import gitpodSchema from './gitpod-schema.json';
import { withoutAnnotations } from './schema-annotations.ts';

describe('withoutAnnotations', () => {
  it('drops annotations at every schema position', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Config',
      description: 'top',
      definitions: { port: { type: 'number', markdownDescription: 'a port', default: 3000 } },
      properties: {
        image: { oneOf: [{ type: 'string', examples: ['ubuntu'] }, { $ref: '#/definitions/port' }] },
        tasks: { type: 'array', items: { type: 'object', deprecationMessage: 'old', deprecated: true } },
        mode: { enum: ['a', 'b'], enumDescriptions: ['A', 'B'], defaultSnippets: [{ body: 'a' }] },
      },
      additionalProperties: { not: { type: 'null', description: 'no nulls' } },
      allowComments: true,
      allowTrailingCommas: false,
    };
    expect(withoutAnnotations(schema)).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { port: { type: 'number' } },
      properties: {
        image: { oneOf: [{ type: 'string' }, { $ref: '#/definitions/port' }] },
        tasks: { type: 'array', items: { type: 'object' } },
        mode: { enum: ['a', 'b'] },
      },
      additionalProperties: { not: { type: 'null' } },
    });
  });

  // Every keyword whose value holds schemas: an annotation one level down goes, the rest stays.
  const inner = { type: 'string', description: 'x' };
  const stripped = { type: 'string' };
  const oneSchema = [
    ...['not', 'if', 'then', 'else', 'items', 'additionalItems', 'additionalProperties'],
    ...['unevaluatedProperties', 'unevaluatedItems', 'contains', 'propertyNames'],
  ];
  const schemaLists = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
  const schemaMaps = [
    'properties',
    'patternProperties',
    'definitions',
    '$defs',
    'dependencies',
    'dependentSchemas',
  ];
  const cases: [string, unknown, unknown][] = [
    ...oneSchema.map((k): [string, unknown, unknown] => [k, inner, stripped]),
    ...schemaLists.map((k): [string, unknown, unknown] => [k, [inner], [stripped]]),
    ...schemaMaps.map((k): [string, unknown, unknown] => [k, { a: inner }, { a: stripped }]),
  ];
  it.each(cases)('looks inside %s', (keyword, value, expected) => {
    expect(withoutAnnotations({ [keyword]: value, title: 'T' })).toEqual({ [keyword]: expected });
  });

  it('leaves values of other keywords as they are', () => {
    const schema = { enum: [{ description: 'a value' }], const: { default: 1 } };
    expect(withoutAnnotations(schema)).toEqual({ enum: [{ description: 'a value' }], const: { default: 1 } });
  });

  it('keeps properties and values that carry an annotation name', () => {
    const schema = {
      properties: {
        description: { type: 'string', description: 'shown on hover' },
        default: { const: 'title' },
      },
      required: ['description'],
      dependencies: { description: ['default'], default: { title: 'x', required: ['description'] } },
    };
    expect(withoutAnnotations(schema)).toEqual({
      properties: { description: { type: 'string' }, default: { const: 'title' } },
      required: ['description'],
      dependencies: { description: ['default'], default: { required: ['description'] } },
    });
  });

  it('has been applied to the vendored schemas (refresh them with scripts/vendor-schema.ts)', () => {
    expect(withoutAnnotations(gitpodSchema)).toEqual(gitpodSchema);
    expect(withoutAnnotations(devcontainerSchema)).toEqual(devcontainerSchema);
  });
});
