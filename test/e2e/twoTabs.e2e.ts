import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium } from '../../.storybook/chromium'
import { serveStatic } from '../../.storybook/serveStatic'
import type { StaticServer } from '../../.storybook/serveStatic'

// The static Storybook (`npm run build-storybook`) in a real Chromium: two tabs of one browser context.
let site: StaticServer
let browser: Browser

beforeAll(async () => {
  site = await serveStatic(join(process.cwd(), 'storybook-static'))
  const found = await findChromium()
  browser = await chromium.launch({ executablePath: found.executablePath, args: found.args })
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

async function openStory(page: Page) {
  await page.goto(`${site.url}/iframe.html?id=demos-one-editing-tab--open-in-two-tabs&viewMode=story`)
}

/** Waits for the story's play function to end, and checks that it passed and no error page covers the story. */
async function expectStoryPassed(page: Page) {
  const phase = await page.waitForFunction(
    () => {
      const current = (window as { __STORYBOOK_PREVIEW__?: { currentRender?: { phase?: string } } }).__STORYBOOK_PREVIEW__?.currentRender?.phase
      return current === 'finished' || current === 'aborted' ? current : null
    },
    undefined,
    { timeout: 20_000 },
  )
  expect(await phase.jsonValue()).toBe('finished')
  // A failed play function or afterEach (the console check) puts Storybook's red error page over the story.
  expect(await page.evaluate(() => document.body.classList.contains('sb-show-errordisplay'))).toBe(false)
}

describe('one editing tab per document, in a real browser', () => {
  it('opened in two tabs, neither shows an error: the first edits, the second is read-only', async () => {
    const context = await browser.newContext()
    const first = await context.newPage()
    await openStory(first)
    await expectStoryPassed(first)
    const second = await context.newPage()
    await openStory(second)
    await expectStoryPassed(second)
    await second.getByText('You are editing this document in another tab. This tab is read-only.').waitFor({ timeout: 5_000 })
    await first.waitForTimeout(500)
    expect(await first.evaluate(() => document.body.classList.contains('sb-show-errordisplay'))).toBe(false)
    await expect(first.getByText('You are editing this document in this tab.').isVisible()).resolves.toBe(true)
    await context.close()
  })

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
