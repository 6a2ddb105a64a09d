/** The bounded contexts of Coterie; each owns one JetStream stream and one PostgreSQL schema. */
export const CONTEXTS = ['identity', 'entitlements', 'tipping', 'events', 'governance', 'analytics'] as const;
export type Context = (typeof CONTEXTS)[number];

/** Upper-case context, no dots (STYLE.md): `IDENTITY`. */
export function streamNameOf(context: Context): string {
  return context.toUpperCase();
}

/**
 * Events are `<context>.<entity>.<verb>.v<N>` (four tokens). The stream captures exactly
 * those and not `identity.>`: RPC requests (`<context>.rpc.<action>`, three tokens) must
 * never be stored, or JetStream's publish ack would race the service's reply.
 */
export function streamSubjectsOf(context: Context): string {
  return `${context}.*.*.*`;
}

export function rpcSubject(context: Context, action: string): string {
  return `${context}.rpc.${action}`;
}
