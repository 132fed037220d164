// Screenshots of the demos for the README: builds the static Storybook (skip with --no-build), serves it, opens
// each story in Chromium, waits until its play function has run and passed, and writes the PNGs to
// stories/screenshots/. Usage: npm run screenshots [-- --no-build]
import { spawnSync } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import process from 'node:process'
import { chromium } from 'playwright-core'
import { runnerImport } from 'vite'

const ROOT = join(import.meta.dirname, '..')
const STATIC = join(ROOT, 'storybook-static')
const OUT = join(ROOT, 'stories', 'screenshots')

// Each story's play function leaves it in the state worth showing.
const SHOTS = [
  { story: 'demos-two-editors--locked', file: 'two-editors-locked.png' },
  { story: 'demos-two-editors--taken-over', file: 'two-editors-taken-over.png' },
  { story: 'demos-two-editors--nick-refuses-take-over', file: 'two-editors-nick-refuses.png' },
  { story: 'demos-content-listing--follows-other-editors', file: 'content-listing.png' },
]

function build() {
  // The demo must show the simulated server, whatever the shell says about a real one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STORYBOOK_LOCK_')))
  const result = spawnSync('npx', ['storybook', 'build', '--quiet'], { cwd: ROOT, stdio: 'inherit', env })
  if (result.status !== 0) throw new Error(`storybook build failed (exit ${result.status}).`)
}

async function importTs(file) {
  const { module } = await runnerImport(join(ROOT, '.storybook', file), { configFile: false, logLevel: 'error' })
  return module
}

async function launch() {
  const found = await (await importTs('chromium.ts')).findChromium()
  return chromium.launch({ executablePath: found.executablePath, args: found.args })
}

async function shoot(browser, base, { story, file }) {
  const page = await browser.newPage({ viewport: { width: 1180, height: 900 } })
  // Storybook announces on its channel when a story's play function has finished, and whether it passed.
  await page.addInitScript(() => {
    const wait = globalThis.setInterval(() => {
      const channel = globalThis.__STORYBOOK_ADDONS_CHANNEL__
      if (!channel) return
      globalThis.clearInterval(wait)
      channel.on('storyFinished', (event) => {
        globalThis.__storyFinished = event
      })
    }, 5)
  })
  await page.goto(`${base}/iframe.html?id=${story}&viewMode=story`)
  const finished = await page.waitForFunction(() => globalThis.__storyFinished, null, { timeout: 20_000 })
  const { status } = await finished.jsonValue()
  if (status !== 'success') throw new Error(`${story}: its play function did not pass (${status}).`)
  await page.evaluate(() => globalThis.document.fonts.ready)
  const box = await page.locator('#storybook-root').boundingBox()
  if (!box) throw new Error(`${story}: nothing rendered.`)
  const margin = 12
  const clip = { x: Math.max(0, box.x - margin), y: Math.max(0, box.y - margin), width: box.width + 2 * margin, height: box.height + 2 * margin }
  await page.screenshot({ path: join(OUT, file), clip })
  await page.close()
  process.stdout.write(`stories/screenshots/${file}\n`)
}

if (!process.argv.includes('--no-build')) build()
await mkdir(OUT, { recursive: true })
const server = await (await importTs('serveStatic.ts')).serveStatic(STATIC)
const browser = await launch()
try {
  for (const shot of SHOTS) await shoot(browser, server.url, shot)
} finally {
  await browser.close()
  await server.close()
}
