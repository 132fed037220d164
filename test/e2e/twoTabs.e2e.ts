import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium } from '../../.storybook/chromium'

// The static Storybook (`npm run build-storybook`) in a real Chromium: two tabs of one browser context.
const ROOT = join(process.cwd(), 'storybook-static')
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

let http: Server
let base: string
let browser: Browser

beforeAll(async () => {
  http = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    const file = normalize(join(ROOT, pathname === '/' ? 'index.html' : pathname))
    if (!file.startsWith(ROOT)) return void response.writeHead(403).end()
    try {
      const body = await readFile(file)
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const address = http.address()
  if (!address || typeof address === 'string') throw new Error('no address')
  base = `http://127.0.0.1:${address.port}`
  const found = await findChromium()
  browser = await chromium.launch({ executablePath: found.executablePath, args: found.args })
})

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => http?.close(resolve))
})

async function openStory(page: Page) {
  await page.goto(`${base}/iframe.html?id=demos-one-editing-tab--open-in-two-tabs&viewMode=story`)
}

describe('one editing tab per document, in a real browser', () => {
  it('the second tab is read-only; the edit moves to it and back, the first tab keeps its text', async () => {
    const context = await browser.newContext()
    const first = await context.newPage()
    await openStory(first)
    await first.getByText('You are editing this document in this tab.').waitFor({ timeout: 20_000 })
    await first.getByLabel('Title').fill('Typed in the first tab')

    const second = await context.newPage()
    await openStory(second)
    await second.getByText('You are editing this document in another tab. This tab is read-only.').waitFor({ timeout: 20_000 })
    expect(await second.getByLabel('Title').getAttribute('readonly')).not.toBeNull()

    await second.getByRole('button', { name: 'Edit here instead' }).click()
    await second.getByText('You are editing this document in this tab.').waitFor({ timeout: 5_000 })
    expect(await second.getByLabel('Title').getAttribute('readonly')).toBeNull()
    await first.getByText('You moved this edit to another tab. Your text here is kept, read-only.').waitFor({ timeout: 5_000 })
    expect(await first.getByLabel('Title').inputValue()).toBe('Typed in the first tab')
    expect(await first.getByLabel('Title').getAttribute('readonly')).not.toBeNull()

    await first.getByRole('button', { name: 'Edit here instead' }).click()
    await first.getByText('You are editing this document in this tab.').waitFor({ timeout: 5_000 })
    await second.getByText('You moved this edit to another tab. Your text here is kept, read-only.').waitFor({ timeout: 5_000 })
    await context.close()
  })
})
