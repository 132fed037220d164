// @vitest-environment node
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Metafile, Plugin } from 'esbuild'
import { describe, it } from 'vitest'
import { ratio, record, recordDetail } from './record'

const root = fileURLToPath(new URL('..', import.meta.url))
const react = ['react', 'react-dom']
const peers = [...react, '@tanstack/react-query']

interface Bundle {
  /** Summed over every output file: the entry and each chunk it may load. */
  minified: number
  /** Each file gzipped on its own, as a server sends it, then summed. */
  gzipped: number
  files: number
  metafile: Metafile
}

interface BundleOptions {
  external: string[]
  /** Defaults to `'esnext'`. */
  target?: string
}

/** Lets esbuild take `contents` as an entry point, which `stdin` does not allow with `splitting`. */
function virtualEntry(contents: string): Plugin {
  return {
    name: 'virtual-entry',
    setup(build) {
      build.onResolve({ filter: /^virtual:entry$/ }, () => ({ path: 'entry.ts', namespace: 'virtual' }))
      build.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({ contents, loader: 'ts', resolveDir: root }))
    },
  }
}

/**
 * Bundles `entry` as an application's production build would: minified, `process.env.NODE_ENV` set to
 * `"production"`, and code split, so that a chunk the library imports dynamically is a file of its own, counted.
 */
async function bundle(entry: string, { external, target = 'esnext' }: BundleOptions): Promise<Bundle> {
  const result = await build({
    entryPoints: ['virtual:entry'],
    plugins: [virtualEntry(entry)],
    bundle: true,
    splitting: true,
    outdir: 'out',
    format: 'esm',
    platform: 'browser',
    target,
    minify: true,
    treeShaking: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
  })
  const files = result.outputFiles.filter((file) => file.path.endsWith('.js'))
  return {
    minified: files.reduce((sum, file) => sum + file.contents.byteLength, 0),
    gzipped: files.reduce((sum, file) => sum + gzipSync(file.contents, { level: 9 }).byteLength, 0),
    files: files.length,
    metafile: result.metafile,
  }
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`
const sizes = (b: Bundle) =>
  `${kB(b.gzipped)} gzipped (${kB(b.minified)} minified${b.files > 1 ? `, ${b.files} files` : ''})`
/** Against a goal in bytes: how far under or over it. */
const goal = (bytes: number, limit: number) =>
  bytes <= limit ? `met, ${kB(limit - bytes)} to spare` : `not met, ${kB(bytes - limit)} over`

const EDIT_FORM = "export { useLock, useLockStatus, useLockedSave, LockProvider, createLockClient } from './src/index.ts'"
const STATUS_ONLY = "export { useLockStatus, LockProvider, createLockClient } from './src/index.ts'"
const EDIT_FORM_GOAL = 9000
const STATUS_ONLY_GOAL = 3500
const ES2020_GOAL = 1.1

describe('5. bundle size, minified and gzipped, peers external, production build', () => {
  it('the edit form, the status-only screen and the es2020 edit form, beside swr, jotai, TanStack Query and @plone/client', async (context) => {
    const [editForm, statusOnly, es2020, swr, jotai, tanstack, plone, ploneOwn] = await Promise.all([
      bundle(EDIT_FORM, { external: peers }),
      bundle(STATUS_ONLY, { external: peers }),
      bundle(EDIT_FORM, { external: peers, target: 'es2020' }),
      bundle("export { default as useSWR } from 'swr'", { external: react }),
      bundle("export { atom, useAtom, Provider } from 'jotai'", { external: react }),
      // TanStack Query is what is measured here, so it is bundled; only React stays out. The provider needs a client,
      // as ours does.
      bundle("export { useQuery, useMutation, QueryClientProvider, QueryClient } from '@tanstack/react-query'", {
        external: react,
      }),
      // @plone/client exports one class whose members are all its hooks (useGetLock, useCreateLock, useUpdateLock,
      // useDeleteLock among them): importing it for its lock hooks brings the whole client, which no bundler can split.
      bundle("import PloneClient from '@plone/client'; export default PloneClient", { external: peers }),
      bundle("import PloneClient from '@plone/client'; export default PloneClient", {
        external: [...peers, 'axios', 'zod', 'query-string', 'debug'],
      }),
    ])
    const es2020Ratio = es2020.gzipped / editForm.gzipped
    record(
      context,
      {
        key: '5.1',
        measurement:
          'bundle of an edit form: `useLock`, `useLockStatus`, `useLockedSave`, `LockProvider`, `createLockClient` (from src), every chunk it loads counted',
        result: sizes(editForm),
        reference: `goal ≤ ${kB(EDIT_FORM_GOAL)} gzipped`,
        ratio: `${ratio(editForm.gzipped, EDIT_FORM_GOAL)} goal: ${goal(editForm.gzipped, EDIT_FORM_GOAL)}`,
      },
      {
        key: '5.2',
        measurement:
          'bundle of a screen that only shows lock status (a listing, a view page): `useLockStatus`, `LockProvider`, `createLockClient`',
        result: sizes(statusOnly),
        reference: `goal ≤ ${kB(STATUS_ONLY_GOAL)} gzipped; 5.1, the edit form: ${kB(editForm.gzipped)}`,
        ratio: `${ratio(statusOnly.gzipped, STATUS_ONLY_GOAL)} goal: ${goal(statusOnly.gzipped, STATUS_ONLY_GOAL)}; ${ratio(statusOnly.gzipped, editForm.gzipped)} 5.1`,
      },
      {
        key: '5.3',
        measurement: 'bundle of the edit form of 5.1 built for `es2020` (private `#fields` become WeakMaps)',
        result: sizes(es2020),
        reference: `5.1, the same built for \`esnext\`: ${kB(editForm.gzipped)}; goal ≤ ${ES2020_GOAL}× 5.1`,
        ratio: `${es2020Ratio.toFixed(3)}× 5.1: ${goal(es2020.gzipped, editForm.gzipped * ES2020_GOAL)}`,
      },
      {
        key: '5.4',
        measurement:
          'bundle of the edit form of 5.1 beside general-purpose React data libraries, same build (React external; each library bundled)',
        result: kB(editForm.gzipped),
        reference: `swr \`useSWR\` ${kB(swr.gzipped)}; jotai \`atom\`, \`useAtom\`, \`Provider\` ${kB(jotai.gzipped)}; TanStack Query \`useQuery\` + \`useMutation\` + \`QueryClientProvider\` with its \`QueryClient\` ${kB(tanstack.gzipped)}`,
        ratio: `${ratio(editForm.gzipped, swr.gzipped)} swr; ${ratio(editForm.gzipped, jotai.gzipped)} jotai; ${ratio(editForm.gzipped, tanstack.gzipped)} TanStack Query`,
      },
      {
        key: '5.5',
        measurement: 'bundle of the edit form of 5.1 beside @plone/client 1.0.0-alpha.23, its dependencies bundled',
        result: kB(editForm.gzipped),
        reference: `@plone/client’s lock hooks (its whole client: it exports only a class) ${sizes(plone)}`,
        ratio: `${ratio(editForm.gzipped, plone.gzipped)} @plone/client`,
      },
      {
        key: '5.6',
        measurement:
          'bundle of the edit form of 5.1 beside @plone/client with its own dependencies (axios, zod, query-string, debug) external',
        result: `${kB(editForm.gzipped)} (no dependencies)`,
        reference: `@plone/client ${sizes(ploneOwn)}`,
        ratio: `${ratio(editForm.gzipped, ploneOwn.gzipped)} @plone/client`,
      },
    )
    // Bytes per source module over every output file, so that a module moved into a lazy chunk still shows.
    const inputs = new Map<string, number>()
    for (const output of Object.values(editForm.metafile.outputs)) {
      for (const [file, input] of Object.entries(output.inputs)) {
        inputs.set(file, (inputs.get(file) ?? 0) + input.bytesInOutput)
      }
    }
    const modules = [...inputs].filter(([, bytes]) => bytes > 0).sort(([, a], [, b]) => b - a)
    const total = modules.reduce((sum, [, bytes]) => sum + bytes, 0)
    recordDetail(
      context,
      'Bundle 5.1 by source module',
      ['module', 'minified', 'share', '≈ gzipped (by share)'],
      modules.map(([file, bytes]) => [
        file,
        `${bytes} B`,
        `${((bytes / total) * 100).toFixed(1)} %`,
        `${Math.round((bytes / total) * editForm.gzipped)} B`,
      ]),
    )
  })
})
