import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { $ZodType, toJSONSchema } from 'zod/v4/core';

/**
 * Responses are written by serializers compiled from their declared schema (fast-json-stringify),
 * not checked field by field with zod then passed to JSON.stringify: on a list of 50 records the zod
 * check was the largest single cost of a request after the database. What the check guaranteed
 * stays true: a response holds only the properties its schema declares (anything else a record
 * carried, such as a column added later, is left out), and a required property that is missing is
 * an error, not silently dropped.
 *
 * A schema the compiler cannot express (a transform, a custom type) keeps the zod serializer. The
 * compilation happens on a route's first response, so that start-up stays fast.
 */
export const responseSerializerCompiler: FastifySerializerCompiler<unknown> = (routeSchema) => {
  const fallback = zodSerializerCompiler(routeSchema as never);
  let compiled: ((data: unknown) => string) | undefined;
  return (data: unknown) => {
    compiled ??= compileJson(routeSchema.schema) ?? fallback;
    return compiled(data);
  };
};

/** A serializer compiled from a zod schema, or undefined when its JSON Schema cannot express it. */
export function compileJson(schema: unknown): ((data: unknown) => string) | undefined {
  if (!(schema instanceof $ZodType)) return undefined;
  try {
    const json = toJSONSchema(schema, { target: 'draft-07', io: 'output', unrepresentable: 'throw' });
    return fastJsonStringify(simplified(json) as never) as (data: unknown) => string;
  } catch {
    return undefined;
  }
}

type JsonSchema = { [key: string]: unknown };

/**
 * A nullable value is `anyOf: [X, {type: null}]` in zod's JSON Schema, which fast-json-stringify
 * resolves by validating each value against each branch: it becomes `type: [X's type, 'null']`,
 * which it resolves by the value's type. Only what serialization needs is kept of X (validation
 * keywords such as a pattern do not change how a string is written).
 */
function simplified(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplified);
  if (node === null || typeof node !== 'object') return node;
  const schema = Object.fromEntries(
    Object.entries(node as JsonSchema).map(([key, value]) => [
      key,
      // Property names are data, not schemas: `properties` maps names to schemas.
      key === 'properties' || key === 'definitions'
        ? Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, simplified(v)]))
        : simplified(value),
    ]),
  ) as JsonSchema;
  const branches = schema.anyOf as JsonSchema[] | undefined;
  if (Array.isArray(branches) && branches.length === 2) {
    const nullIndex = branches.findIndex(
      (branch) => branch.type === 'null' && Object.keys(branch).length === 1,
    );
    const other = branches[1 - nullIndex];
    if (
      nullIndex >= 0 &&
      other &&
      typeof other.type === 'string' &&
      !('anyOf' in other) &&
      !('$ref' in other)
    ) {
      const { anyOf: _, ...rest } = schema;
      const { pattern: _pattern, minimum: _min, maximum: _max, ...kept } = other;
      return { ...rest, ...kept, type: [other.type, 'null'] };
    }
  }
  return schema;
}
