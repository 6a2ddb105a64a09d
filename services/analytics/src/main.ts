import { runServiceMain } from '@coterie/service-kit';
import { createApp, SERVICE_VERSION } from './app.ts';
import { configSchema } from './config.ts';

await runServiceMain({ name: 'analytics', version: SERVICE_VERSION, configSchema, createApp });
