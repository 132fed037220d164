import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import dts from 'vite-plugin-dts'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { chromiumProvider } from './.storybook/chromium.js'

const external = [
  'react',
  'react/jsx-runtime',
  'react-dom',
  '@tanstack/react-query',
  'msw',
  /^msw\//,
  /^node:/,
]

// The unit tests run a second time against React 18, the oldest React the peer range allows.
const react18Aliases = [
  { find: /^react$/, replacement: 'react-18' },
  { find: /^react\/jsx-runtime$/, replacement: 'react-18/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'react-18/jsx-dev-runtime' },
  { find: /^react-dom$/, replacement: 'react-dom-18' },
  { find: /^react-dom\/client$/, replacement: 'react-dom-18/client' },
  { find: /^react-dom\/test-utils$/, replacement: 'react-dom-18/test-utils' },
  { find: /^react-dom\/server$/, replacement: 'react-dom-18/server' },
]

// The unit tests run a third time against the oldest @tanstack/react-query the peer range allows (the first with
// `timeoutManager`), installed as the `@tanstack/react-query-lowest` alias (or found at REACT_QUERY_LOWEST_DIR).
const lowestQuery = process.env.REACT_QUERY_LOWEST_DIR ?? '@tanstack/react-query-lowest'

export default defineConfig({
  plugins: [
    react(),
    dts({
      tsconfigPath: './tsconfig.build.json',
      outDirs: [
        { dir: 'dist', moduleFormat: 'esm' },
        { dir: 'dist', moduleFormat: 'cjs' },
      ],
    }),
  ],
  publicDir: 'public',
  build: {
    copyPublicDir: false,
    sourcemap: true,
    minify: false,
    lib: {
      entry: {
        index: 'src/index.ts',
        core: 'src/core/index.ts',
        testing: 'src/testing/index.ts',
        'testing-node': 'src/testing/node/index.ts',
      },
      formats: ['es', 'cjs'],
      fileName: (format, name) => `${name}.${format === 'es' ? 'js' : 'cjs'}`,
    },
    rollupOptions: { external },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['test/**/*.test.{ts,tsx}'],
          setupFiles: ['test/setup.ts'],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      {
        extends: true,
        resolve: { alias: react18Aliases },
        test: {
          name: 'unit-react18',
          environment: 'jsdom',
          include: ['test/**/*.test.{ts,tsx}'],
          setupFiles: ['test/react18.setup.ts', 'test/setup.ts'],
          env: { REACT_MAJOR: '18' },
          // Processed by Vite rather than loaded by Node, so that the aliases above reach their imports of React.
          server: { deps: { inline: ['@tanstack/react-query', '@testing-library/react', 'react-hook-form'] } },
        },
      },
      {
        extends: true,
        resolve: { alias: [{ find: /^@tanstack\/react-query$/, replacement: lowestQuery }], dedupe: ['react', 'react-dom'] },
        test: {
          name: 'unit-query-lowest',
          environment: 'jsdom',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/conformance/**', 'test/lockServer*.test.ts'],
          setupFiles: ['test/setup.ts'],
          env: { QUERY_LOWEST: '1' },
          server: { deps: { inline: [/@tanstack/, '@testing-library/react'] } },
        },
      },
      {
        // `npm run test:live`: against a real server named by LIVE_API, LIVE_OWNER and LIVE_OTHER; never part of `npm test`.
        extends: true,
        test: {
          name: 'live',
          environment: 'jsdom',
          include: ['test/live/**/*.live.{ts,tsx}'],
          setupFiles: ['test/setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // Real-browser tests driven from Node: the static Storybook (`npm run build-storybook` first), and the example
        // admin, which its test builds itself, against the simulated server over HTTP.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      // A function, so that only Vitest loads Storybook's configuration, not `vite build` nor Storybook itself.
      async () => ({
        extends: true,
        plugins: [await storybookTest({ configDir: '.storybook' })],
        test: {
          name: 'storybook',
          browser: {
            enabled: true,
            headless: true,
            provider: chromiumProvider(),
            instances: [{ browser: 'chromium' }],
          },
        },
      }),
    ],
  },
})
