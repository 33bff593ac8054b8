import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { executableSchema } from '../src/graphql/executable-schema';
import { JsonScalar } from '../src/graphql/json-scalar';

const schema = executableSchema(
  /* GraphQL */ `
    scalar JSON
    type Query { echo(value: JSON): JSON, kind(value: JSON): String }
  `,
  [
    {
      JSON: JsonScalar,
      Query: {
        echo: (_: unknown, args: { value: unknown }) => args.value,
        kind: (_: unknown, args: { value: unknown }) => (args.value === null ? 'null' : Array.isArray(args.value) ? 'list' : typeof args.value),
      },
    },
  ],
);

async function run(source: string, variableValues?: Record<string, unknown>) {
  return JSON.parse(JSON.stringify(await graphql({ schema, source, variableValues })));
}

describe('the JSON scalar', () => {
  it('reads an inline literal into the value it spells, at any depth', async () => {
    const result = await run('{ echo(value: { a: 1, b: 2.5, c: "text", d: true, e: null, f: [1, [2, { g: false }]], h: {} }) }');
    expect(result).toEqual({ data: { echo: { a: 1, b: 2.5, c: 'text', d: true, e: null, f: [1, [2, { g: false }]], h: {} } } });
  });

  it('reads scalars and lists at the top level', async () => {
    expect(await run('{ a: kind(value: 1) b: kind(value: "x") c: kind(value: [1]) d: kind(value: null) e: kind(value: true) }')).toEqual({
      data: { a: 'number', b: 'string', c: 'list', d: 'null', e: 'boolean' },
    });
  });

  it('takes variables inside a literal, and leaves out a field whose variable is not given', async () => {
    const source = 'query ($duration: JSON, $style: JSON) { echo(value: { duration: $duration, style: $style, fixed: 1 }) }';
    expect(await run(source, { duration: 10 })).toEqual({ data: { echo: { duration: 10, fixed: 1 } } });
  });

  it('passes a variable value through whole', async () => {
    const value = { nested: { list: [1, 'two', null, { three: 3 }] }, unicode: 'ü' };
    expect(await run('query ($value: JSON) { echo(value: $value) }', { value })).toEqual({ data: { echo: value } });
  });

  it('keeps a field named __proto__ as a field', async () => {
    const result = await graphql({ schema, source: '{ echo(value: { __proto__: { polluted: true } }) }' });
    const echoed = result.data?.echo as Record<string, unknown>;
    expect(Object.keys(echoed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a bare word, saying that strings are quoted', async () => {
    const result = await run('{ echo(value: { style: cinematic }) }');
    expect(result.data).toBeUndefined();
    expect(result.errors[0].message).toContain('Expected value of type "JSON"');
    expect(result.errors[0].message).toContain('strings are written in quotes');
  });

  it('describes itself in the schema', () => {
    const scalar = schema.getType('JSON');
    expect(scalar).toMatchObject({ name: 'JSON', specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc8259' });
  });
});

describe('the executable schema', () => {
  it('refuses resolvers for types or fields the SDL lacks', () => {
    const typeDefs = 'type Query { a: Int }';
    expect(() => executableSchema(typeDefs, [{ Nope: { a: () => 1 } }])).toThrow('Nope is not an object type');
    expect(() => executableSchema(typeDefs, [{ Query: { b: () => 1 } }])).toThrow('Query.b is not in the schema');
    expect(() => executableSchema(typeDefs, [{ Query: JsonScalar }])).toThrow('Query is not a scalar');
  });
});
