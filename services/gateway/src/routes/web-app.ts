import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DOCS_PATH, JSON_API_PATH } from '../api-paths.ts';
import { sendProblem } from '../plugins/app/problem-details.ts';
import { problem } from '../problems.ts';

/** `services/web/dist`, built by `pnpm --filter @coterie/web build`. */
export const DEFAULT_WEB_APP_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Vite puts content-hashed files here: a new build gets new names, so they never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
// The app shell must be revalidated on every load, or a deploy would keep old chunk names alive.
const REVALIDATE = 'no-cache';

export interface WebAppRoutesOptions {
  /** The built app; defaults to `services/web/dist`. */
  root?: string;
}

function isAppNavigation(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? request.url;
  if (path === '/') return true;
  // Paths of the API and /docs: their 404s stay problem+json, never the app shell.
  if (JSON_API_PATH.test(path) || DOCS_PATH.test(path)) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/**
 * Serves the web app (the SPA) at `/`: hashed assets cached for a year, `index.html` revalidated,
 * and any other browser navigation (Accept: text/html, outside /v1 and /docs) answered with the
 * app shell so client-side routes survive a reload. Without a build the gateway still starts and
 * `/` answers 503 `web_app_not_built`.
 */
export async function webAppRoutes(fastify: FastifyInstance, options: WebAppRoutesOptions): Promise<void> {
  const root = options.root ?? DEFAULT_WEB_APP_DIR;
  const built = existsSync(join(root, 'index.html'));
  if (built) {
    await fastify.register(fastifyStatic, {
      root,
      prefix: '/',
      // One route per built file, so unknown paths fall through to the app shell below.
      wildcard: false,
      index: false,
      cacheControl: false,
      schemaHide: true,
      setHeaders: (reply, path) => {
        reply.header('cache-control', path.includes(`${sep}assets${sep}`) ? IMMUTABLE : REVALIDATE);
      },
    });
  } else {
    fastify.log.warn(
      { root },
      'the web app is not built: run `pnpm --filter @coterie/web build`; until then / answers 503 web_app_not_built',
    );
  }

  const appShell = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isAppNavigation(request)) return reply.callNotFound();
    if (!built) {
      return sendProblem(
        reply,
        problem(
          'web_app_not_built',
          'The web app is not built: run `pnpm --filter @coterie/web build`.',
          503,
        ),
      );
    }
    return reply.sendFile('index.html');
  };
  fastify.get('/', { schema: { hide: true } }, appShell);
  fastify.get('/*', { schema: { hide: true } }, appShell);
}
