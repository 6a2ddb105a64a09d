import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { Config } from '../config.ts';
import { problemResponses } from '../problems.ts';

const Address = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' });

const PublicConfigSchema = Type.Object(
  {
    appDomain: Type.String({ description: 'the SIWE `domain` the app signs in with' }),
    appOrigin: Type.String({ format: 'uri' }),
    chains: Type.Array(
      Type.Object({
        chainId: Type.Integer(),
        name: Type.String(),
        confirmations: Type.Integer({ minimum: 0 }),
      }),
    ),
    stripe: Type.Object({ enabled: Type.Boolean(), publishableKey: Type.Optional(Type.String()) }),
    demo: Type.Optional(
      Type.Object({
        communitySlug: Type.String(),
        contracts: Type.Object({
          CommunityToken: Address,
          MembershipPass: Address,
          MemberBadge: Address,
          SmartWallet: Address,
        }),
      }),
    ),
  },
  { title: 'PublicConfig' },
);
export type PublicConfig = Static<typeof PublicConfigSchema>;

/** Only what a browser may see: chain RPC URLs can carry provider keys, so they stay out. */
export function toPublicConfig(config: Config): PublicConfig {
  return {
    appDomain: config.APP_DOMAIN,
    appOrigin: config.APP_ORIGIN,
    chains: (config.CHAINS ?? []).map(({ chainId, name, confirmations }) => ({
      chainId,
      name,
      confirmations,
    })),
    stripe: config.STRIPE_PUBLISHABLE_KEY
      ? { enabled: true, publishableKey: config.STRIPE_PUBLISHABLE_KEY }
      : { enabled: false },
    ...(config.DEMO_INFO ? { demo: config.DEMO_INFO } : {}),
  };
}

export interface PublicConfigRoutesOptions {
  config: Config;
}

export const publicConfigRoutes: FastifyPluginAsyncTypebox<PublicConfigRoutesOptions> = async (
  fastify,
  options,
) => {
  const body = toPublicConfig(options.config);
  fastify.get(
    '/v1/config',
    {
      schema: {
        tags: ['operations'],
        summary: 'Public settings the app needs (chains, Stripe, demo contracts)',
        response: { 200: PublicConfigSchema, ...problemResponses },
      },
    },
    async () => body,
  );
};
