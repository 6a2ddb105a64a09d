import Fastify from 'fastify';

/**
 * The baseline of the gated-read bench: a bare Fastify hello-world, alone in its process like
 * the gateway is in its own. `PORT` from the environment; prints `listening <url>` when ready.
 */
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const url = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening ${url}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
