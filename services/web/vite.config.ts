import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The gateway serves the built app; in `pnpm dev` Vite proxies the API to a gateway on :3000.
const gateway = process.env.COTERIE_GATEWAY_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Hashed file names under /assets: the gateway caches them for a year (immutable).
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/v1': { target: gateway, changeOrigin: false },
      '/docs': { target: gateway },
      '/healthz': { target: gateway },
      '/readyz': { target: gateway },
    },
  },
});
