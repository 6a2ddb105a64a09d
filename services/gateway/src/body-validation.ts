import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

const compilers = AjvCompiler();

/**
 * Fastify's own validators (Ajv through `@fastify/ajv-compiler`), except that JSON bodies are
 * taken as sent. Its default coerces types, so `{"value": 1500}` passed as "1500", `{"score": "5"}`
 * as 5 and `{"status": ["going"]}` as "going", where API.md promises 400 for a bad body and never
 * a number for money. Query strings, params and headers are text on the wire and keep the
 * coercion (`?limit=20` is an integer).
 */
export const buildValidator: NonNullable<CompilersFactory['buildValidator']> = (externalSchemas, ajv) => {
  const coercing = compilers(externalSchemas, ajv);
  // (The options type is a union with JSON Type Definition's, which has no coerceTypes.)
  const exact = compilers(externalSchemas, {
    ...ajv,
    customOptions: { ...ajv?.customOptions, coerceTypes: false },
  } as typeof ajv);
  return (route) => (route.httpPart === 'body' ? exact(route) : coercing(route));
};
