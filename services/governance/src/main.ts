import { runServiceMain } from '@coterie/service-kit';
import { createApp, SERVICE_VERSION } from './app.ts';
import { configSchema } from './config.ts';

await runServiceMain({ name: 'governance', version: SERVICE_VERSION, configSchema, createApp });
