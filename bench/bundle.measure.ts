// @vitest-environment node
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Metafile } from 'esbuild'
import { describe, it } from 'vitest'
import { ratio, record, recordDetail } from './record'

const root = fileURLToPath(new URL('..', import.meta.url))
const peers = ['react', 'react-dom', '@tanstack/react-query']

interface Bundle {
  minified: number
  gzipped: number
  metafile: Metafile
}

/** Bundles `entry` the way an application's bundler would, minified, with the given packages left out. */
async function bundle(entry: string, external: string[]): Promise<Bundle> {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    treeShaking: true,
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]?.contents ?? new Uint8Array()
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, metafile: result.metafile }
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`

describe('5. bundle size, minified and gzipped, peers external', () => {
  it('the three hooks against @plone/client 1.0.0-alpha.23', async (context) => {
    const ours = await bundle(
      "export { useLock, useLockStatus, useLockedSave, LockProvider, createLockClient } from './src/index.ts'",
      peers,
    )
    const statusOnly = await bundle("export { useLockStatus, LockProvider, createLockClient } from './src/index.ts'", peers)
    // @plone/client exports one class whose members are all its hooks (useGetLock, useCreateLock, useUpdateLock,
    // useDeleteLock among them): importing it for its lock hooks brings the whole client, which no bundler can split.
    const plone = await bundle("import PloneClient from '@plone/client'; export default PloneClient", peers)
    const ploneOwn = await bundle("import PloneClient from '@plone/client'; export default PloneClient", [
      ...peers,
      'axios',
      'zod',
      'query-string',
      'debug',
    ])
    record(
      context,
      {
        key: '5.1',
        measurement: 'bundle: `useLock`, `useLockStatus`, `useLockedSave`, `LockProvider`, `createLockClient` (from src)',
        result: `${kB(ours.gzipped)} gzipped (${kB(ours.minified)} minified)`,
        reference: `budget 3 kB gzipped; @plone/client’s lock hooks (its whole client: it exports only a class) ${kB(plone.gzipped)} gzipped (${kB(plone.minified)} minified)`,
        ratio: `${ratio(ours.gzipped, 3000)} budget; ${ratio(ours.gzipped, plone.gzipped)} @plone/client`,
      },
      {
        key: '5.2',
        measurement: 'bundle, as 5.1, with @plone/client’s own dependencies (axios, zod, query-string, debug) also external',
        result: `${kB(ours.gzipped)} gzipped (no dependencies)`,
        reference: `@plone/client ${kB(ploneOwn.gzipped)} gzipped (${kB(ploneOwn.minified)} minified)`,
        ratio: `${ratio(ours.gzipped, ploneOwn.gzipped)} @plone/client`,
      },
      {
        key: '5.3',
        measurement:
          'bundle of a screen that only shows lock status (a listing, a view page): `useLockStatus`, `LockProvider`, `createLockClient`',
        result: `${kB(statusOnly.gzipped)} gzipped (${kB(statusOnly.minified)} minified)`,
        reference: `5.1, the edit form's bundle: the leases come with the first \`useLock\`, not with the provider`,
        ratio: `${ratio(statusOnly.gzipped, ours.gzipped)} 5.1`,
      },
    )
    const output = Object.values(ours.metafile.outputs)[0]
    const modules = Object.entries(output?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)
    const total = modules.reduce((sum, [, input]) => sum + input.bytesInOutput, 0)
    recordDetail(
      context,
      'Bundle 5.1 by source module',
      ['module', 'minified', 'share', '≈ gzipped (by share)'],
      modules.map(([file, input]) => [
        file,
        `${input.bytesInOutput} B`,
        `${((input.bytesInOutput / total) * 100).toFixed(1)} %`,
        `${Math.round((input.bytesInOutput / total) * ours.gzipped)} B`,
      ]),
    )
  })
})
