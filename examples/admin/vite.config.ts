import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The example imports the library by its package name; this points the name at the sources of this checkout, so the
// app always runs the current code. An app of your own installs the package instead and drops the alias.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: [{ find: /^react-edit-lock$/, replacement: fileURLToPath(new URL('../../src/index.ts', import.meta.url)) }],
  },
  // Settings come from VITE_ADMIN_* variables: in the environment, or in examples/admin/.env.local.
  envPrefix: 'VITE_ADMIN_',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Which chunk each route loads, for the check that the listing does not bundle the edit form's lease code.
    manifest: true,
  },
})
