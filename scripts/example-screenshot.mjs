// `npm run example:screenshot`: examples/admin/screenshot.png, the picture in the README. Builds the example, serves
// it with the simulated server over HTTP, and photographs Bob's edit form while Alice edits the item.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { createServer } from 'vite'

// Loads the TypeScript helpers through Vite, kept open: they import further modules while running.
const loader = await createServer({ configFile: false, server: { middlewareMode: true }, appType: 'custom', logLevel: 'error' })
const load = (path) => loader.ssrLoadModule(path)
const { buildAdmin, serveApp } = await load('/test/e2e/adminApp.ts')
const { runServerCommand } = await load('/src/testing/node/index.ts')
const { findChromium } = await load('/.storybook/chromium.ts')

const outDir = await mkdtemp(join(tmpdir(), 'react-edit-lock-admin-'))
await buildAdmin(outDir, {})
const site = await serveApp(outDir)
const api = await runServerCommand(['--port', '0', '--origin', site.url, '--quiet'], { print: () => {} })
const found = await findChromium()
const browser = await chromium.launch({ executablePath: found.executablePath, args: found.args })

async function logIn(login) {
  const context = await browser.newContext({ viewport: { width: 880, height: 520 }, deviceScaleFactor: 1 })
  const page = await context.newPage()
  await page.goto(`${site.url}/login`)
  await page.getByLabel('Site').fill(api.url)
  await page.getByLabel('User name').fill(login)
  await page.getByLabel('Password').fill('secret')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'News' }).waitFor()
  return page
}

try {
  const alice = await logIn('alice')
  await alice.goto(`${site.url}/edit/news/quarterly-report`)
  await alice.getByText('You are editing this item.').waitFor()
  const bob = await logIn('bob')
  await bob.goto(`${site.url}/edit/news/quarterly-report`)
  await bob.getByRole('button', { name: 'Take over' }).waitFor()
  await bob.screenshot({ path: 'examples/admin/screenshot.png' })
  process.stdout.write('Wrote examples/admin/screenshot.png\n')
} finally {
  await browser.close()
  await api.close()
  await site.close()
  await rm(outDir, { recursive: true, force: true })
  await loader.close()
}
