import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// The console is built into the Go tree and embedded in the binary
// (internal/console). The build must be deterministic: CI rebuilds it and
// fails when the committed output differs (git diff --exit-code).
export default defineConfig({
  plugins: [react()],
  // Absolute asset URLs: deep links such as /profiles/p_x load /assets/….
  base: '/',
  build: {
    outDir: '../internal/console/dist',
    emptyOutDir: true,
    // Every asset is a hashed file under assets/ (cached for long by the
    // server); nothing is inlined as a data: URL.
    assetsInlineLimit: 0,
    sourcemap: false,
    // The binary should not carry a report of its own bundle sizes.
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    // The API and the session cookie come from a running `cairn serve`.
    proxy: { '/v1': 'http://127.0.0.1:4280' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
})
