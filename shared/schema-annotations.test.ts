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
