import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [react()],
  test: {
    name: 'bench',
    environment: 'jsdom',
    include: ['bench/**/*.measure.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 30_000,
    reporters: ['dot', './bench/tableReporter.ts'],
  },
})
