import type { z } from 'zod';
import { type Envelope, envelopeSchema, eventSubject } from './envelope.ts';

export interface EventDefinition<TSchema extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly version: number;
  /** `<type>.v<version>`: the subject, and the name used in consumer and inbox keys. */
  readonly subject: string;
  readonly data: TSchema;
  parse(input: unknown): Envelope<z.infer<TSchema>>;
}

export type EventData<T extends EventDefinition> = z.infer<T['data']>;

export function defineEvent<TSchema extends z.ZodType>(def: {
  type: string;
  version: number;
  data: TSchema;
}): EventDefinition<TSchema> {
  const schema = envelopeSchema.extend({
    type: envelopeSchema.shape.type.refine((t) => t === def.type, `type must be ${def.type}`),
    version: envelopeSchema.shape.version.refine((v) => v === def.version, `version must be ${def.version}`),
    data: def.data,
  });
  return {
    type: def.type,
    version: def.version,
    subject: eventSubject(def.type, def.version),
    data: def.data,
    parse: (input) => schema.parse(input) as Envelope<z.infer<TSchema>>,
  };
}

export interface RpcDefinition<TReq extends z.ZodType = z.ZodType, TRes extends z.ZodType = z.ZodType> {
  /** `<context>.rpc.<action>` without any deployment namespace. */
  readonly subject: string;
  readonly request: TReq;
  readonly response: TRes;
}

export type RpcRequest<T extends RpcDefinition> = z.input<T['request']>;
export type RpcResponse<T extends RpcDefinition> = z.infer<T['response']>;

export function defineRpc<TReq extends z.ZodType, TRes extends z.ZodType>(def: {
  subject: string;
  request: TReq;
  response: TRes;
}): RpcDefinition<TReq, TRes> {
  return def;
}
