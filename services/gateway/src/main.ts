import { loadConfigOrExit } from '@coterie/config';
import { createLogger } from '@coterie/logger';
import { runMain } from '@coterie/service-kit';
import { startTelemetry } from '@coterie/telemetry';
import { createApp, SERVICE_VERSION } from './app.ts';
import { configSchema } from './config.ts';

const config = loadConfigOrExit(configSchema);
const telemetry = startTelemetry({
  serviceName: 'coterie-gateway',
  serviceVersion: SERVICE_VERSION,
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
});
const logger = createLogger({ name: 'gateway', level: config.LOG_LEVEL });

await runMain(async () => {
  const app = createApp(config, { logger });
  await app.start();
  return {
    stop: async () => {
      await app.stop();
      await telemetry.shutdown();
    },
  };
}, logger);
