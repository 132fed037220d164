// @vitest-environment node
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import type * as Core from '../src/core'

// An app's production build sets process.env.NODE_ENV to "production": the texts meant for developers are left out,
// and every error still carries its code (the message falls back to it).
async function bundle(production: boolean): Promise<string> {
  const result = await build({
    entryPoints: ['src/core/index.ts'],
    bundle: true,
    format: 'esm',
    write: false,
    minify: true,
    platform: 'neutral',
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

async function load(code: string): Promise<typeof Core> {
  return (await import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as typeof Core
}

describe('a production build', () => {
  it('leaves out the developer texts and keeps the error codes', async () => {
    const [production, development] = await Promise.all([bundle(true), bundle(false)])
    const texts = ['must use http or https', 'did not reach the server', 'Not logged in, or the login expired', "The server's lock answer is malformed"]
    for (const text of texts) {
      expect(development).toContain(text)
      expect(production).not.toContain(text)
    }
    expect(production.length).toBeLessThan(development.length * 0.95)

    const core = await load(production)
    let thrown: unknown
    try {
      core.createLockClient({ apiPath: 'ftp://example.org/api' })
    } catch (error) {
      thrown = error
    }
    expect(core.isLockError(thrown)).toBe(true)
    expect(thrown).toMatchObject({ code: 'invalid-option', message: 'invalid-option', name: 'LockError' })
  })

  it('still says what went wrong in a development build', async () => {
    const core = await load(await bundle(false))
    expect(() => core.createLockClient({ apiPath: 'ftp://example.org/api' })).toThrow(/must use http or https/)
  })
})
