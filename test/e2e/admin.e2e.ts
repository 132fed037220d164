import { readFile } from 'node:fs/promises'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { findChromium } from '../../.storybook/chromium'
import { runServerCommand } from '../../src/testing/node'
import type { ListeningLockServer } from '../../src/testing/node'
import type { LogEntry } from '../../src/testing'
import { buildAdmin, serveApp } from './adminApp'
import type { AppServer } from './adminApp'

// The example admin (examples/admin), built for production, in two real browser contexts (Alice and Bob: separate
// cookies, storage and tabs), against the simulated server over HTTP on another port: CORS preflights, keepalive
// requests from closing pages and the back/forward cache all go through a real network stack.
const REFRESH_MS = 1000
// What a loaded machine (two cores, other test runs) may add to an interval before a screen shows its result.
const SLACK_MS = 3000
const SETTINGS = {
  VITE_ADMIN_LISTING_REFRESH_MS: String(REFRESH_MS),
  VITE_ADMIN_CHECK_MS: '1000',
  VITE_ADMIN_TOUCH_MS: '1000',
}
const ITEM = '/news/quarterly-report'
const TITLE = 'Quarterly report'
// A message only the lease (src/core/lockLease.ts) carries: the edit form's code, which the listing must not load.
const LEASE_MARKER = 'This lock cannot be taken over.'

let outDir: string
let site: AppServer
let browser: Browser

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'react-edit-lock-admin-'))
  await buildAdmin(outDir, SETTINGS)
  site = await serveApp(outDir)
  const found = await findChromium()
  browser = await chromium.launch({ executablePath: found.executablePath, args: found.args })
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

describe('the production build', () => {
  async function chunkClosure(manifest: Record<string, { file: string; imports?: string[] }>, key: string) {
    const files = new Set<string>()
    const visit = (name: string) => {
      const chunk = manifest[name]
      if (!chunk || files.has(chunk.file)) return
      files.add(chunk.file)
      for (const imported of chunk.imports ?? []) visit(imported)
    }
    visit(key)
    return Promise.all([...files].map((file) => readFile(join(outDir, file), 'utf8')))
  }

  it("loads the listing route without the edit form's lease code, which the edit route brings", async () => {
    const manifest = JSON.parse(await readFile(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<
      string,
      { file: string; imports?: string[] }
    >
    const listing = await chunkClosure(manifest, 'src/routes/ListingPage.tsx')
    const edit = await chunkClosure(manifest, 'src/routes/EditPage.tsx')
    expect(listing.some((code) => code.includes(LEASE_MARKER))).toBe(false)
    expect(edit.some((code) => code.includes(LEASE_MARKER))).toBe(true)
  })
})

describe.each(['plone', 'nick'] as const)('two editors in two browsers, %s', (dialect) => {
  let api: ListeningLockServer
  let contexts: BrowserContext[] = []
  const problems: string[] = []
  const takeOverWorks = dialect === 'plone'

  beforeAll(async () => {
    const started = await runServerCommand(['--dialect', dialect, '--port', '0', '--origin', site.url, '--quiet'], { print: () => {} })
    if (!started) throw new Error('no server')
    api = started
  })

  afterAll(async () => {
    await api?.close()
  })

  beforeEach(() => {
    api.server.restart()
    api.server.clearLog()
    api.server.setContent(ITEM, { title: TITLE, description: 'Figures for the last three months.' })
  })

  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()))
    contexts = []
    expect(problems.splice(0), 'errors in the pages').toEqual([])
  })

  /** A browser of its own for one person, logged in, with what it sends and receives recorded. */
  async function person(login: 'alice' | 'bob') {
    const context = await browser.newContext()
    contexts.push(context)
    const sent: Array<Promise<string>> = []
    const tokensReceived = new Set<string>()
    context.on('request', (request) => {
      const headers = request.allHeaders().catch(() => request.headers())
      sent.push(headers.then((all) => [request.url(), JSON.stringify(all), request.postData() ?? ''].join('\n')))
    })
    // What the app itself got wrong; the browser's own "Failed to load resource" lines for refusals (401, 403) are
    // the server's answers, not errors of the page.
    context.on('weberror', (error) => problems.push(`${login}: ${error.error().message}`))
    context.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        if (!message.text().startsWith('Failed to load resource')) problems.push(`${login}: ${message.text()}`)
      }
    })
    context.on('response', (response) => {
      if (!response.url().startsWith(api.url)) return
      void response.text().then(
        (text) => {
          for (const match of text.matchAll(/"token"\s*:\s*"([^"]+)"/g)) if (match[1]) tokensReceived.add(match[1])
        },
        () => {},
      )
    })
    const page = await context.newPage()
    await page.goto(`${site.url}/login`)
    await page.getByLabel('Site').fill(api.url)
    await page.getByLabel('User name').fill(login)
    await page.getByLabel('Password').fill('secret')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('heading', { name: 'News' }).waitFor()
    return { context, page, sent: () => Promise.all(sent), tokensReceived }
  }

  async function openEditor(page: Page) {
    await page.getByRole('link', { name: TITLE }).click()
    await page.getByRole('link', { name: 'Edit' }).click()
  }

  function row(page: Page) {
    return page.getByRole('row', { name: new RegExp(TITLE) })
  }

  function logged(match: (entry: LogEntry) => boolean): LogEntry | undefined {
    return api.server.log.find(match)
  }

  async function eventually(check: () => boolean, timeout: number, what: string) {
    const deadline = Date.now() + timeout
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`Not within ${timeout} ms: ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** Nothing Alice's browser received as a token (her login, her locks) was ever sent by Bob's browser. */
  async function expectNoTokenOf(alice: Awaited<ReturnType<typeof person>>, bob: Awaited<ReturnType<typeof person>>) {
    const bobSent = await bob.sent()
    expect(alice.tokensReceived.size).toBeGreaterThanOrEqual(2)
    // The recording sees tokens where they are sent: Bob's own login token is in his requests' headers.
    expect([...bob.tokensReceived].some((token) => bobSent.some((request) => request.includes(token)))).toBe(true)
    for (const token of alice.tokensReceived) {
      expect(bobSent.filter((request) => request.includes(token))).toEqual([])
    }
  }

  it("Alice opens an item and Bob's listing shows it locked within its refresh interval, without the edit form's code", async () => {
    const bob = await person('bob')
    await expect(row(bob.page).getByText('Free to edit').isVisible()).resolves.toBe(true)
    const alice = await person('alice')
    await openEditor(alice.page)
    await alice.page.getByText('You are editing this item.').waitFor()
    const lockedAt = Date.now()

    await row(bob.page).getByText(/^Alice Archer is editing since/).waitFor({ timeout: REFRESH_MS + SLACK_MS })
    expect(Date.now() - lockedAt).toBeLessThan(REFRESH_MS + SLACK_MS)
    const bobLoaded = await bob.sent()
    expect(bobLoaded.filter((request) => /\/assets\/EditPage-/.test(request))).toEqual([])

    // The view page says it too, before Bob opens the form.
    await bob.page.getByRole('link', { name: TITLE }).click()
    await bob.page.getByText(/^Alice Archer is editing since/).waitFor()
    await expectNoTokenOf(alice, bob)
  })

  it(
    takeOverWorks
      ? 'Bob takes over; Alice is told while typing, her save is refused and her text kept'
      : 'Bob is refused the take-over; Alice keeps editing and saves',
    async () => {
      const alice = await person('alice')
      await openEditor(alice.page)
      await alice.page.getByText('You are editing this item.').waitFor()
      const aliceTitle = alice.page.getByLabel('Title')
      await aliceTitle.fill("Alice's draft")

      const bob = await person('bob')
      await openEditor(bob.page)
      await bob.page.getByText(/^Alice Archer is editing this item since/).waitFor()
      expect(await bob.page.getByLabel('Title').getAttribute('readonly')).not.toBeNull()
      await bob.page.getByRole('button', { name: 'Take over' }).click()

      if (!takeOverWorks) {
        await bob.page.getByText("This site does not let anyone take over another person's edit").waitFor()
        expect(await bob.page.getByRole('button', { name: 'Take over' }).count()).toBe(0)
        expect(api.server.getLock(ITEM)?.user).toBe('alice')
        await aliceTitle.pressSequentially(' and more')
        await alice.page.getByRole('button', { name: 'Save' }).click()
        await alice.page.getByText('Your changes were saved.').waitFor()
        expect(api.server.getContent(ITEM)?.title).toBe("Alice's draft and more")
        await expectNoTokenOf(alice, bob)
        return
      }

      await bob.page.getByText('You are editing this item.').waitFor()
      expect(api.server.getLock(ITEM)?.user).toBe('bob')
      const takenAt = Date.now()

      // Alice goes on typing: the next keystrokes check the lock, and the form tells her.
      await aliceTitle.focus()
      await alice.page.keyboard.type(' and more', { delay: 50 })
      await alice.page.getByText('Bob Baker took over this item while you were editing.').waitFor({ timeout: SLACK_MS + 1000 })
      expect(Date.now() - takenAt).toBeLessThan(SLACK_MS + 1000)
      const kept = await aliceTitle.inputValue()
      expect(kept.startsWith("Alice's draft")).toBe(true)
      expect(await aliceTitle.getAttribute('readonly')).not.toBeNull()

      const patchesBefore = api.server.log.filter((entry) => entry.endpoint === 'content' && entry.method === 'PATCH').length
      await alice.page.getByRole('button', { name: 'Save' }).click()
      await alice.page.getByText('Not saved: Bob Baker has this item now, so nothing was sent. Your text is still here.').waitFor()
      expect(await aliceTitle.inputValue()).toBe(kept)
      expect(api.server.log.filter((entry) => entry.endpoint === 'content' && entry.method === 'PATCH').length).toBe(patchesBefore)
      expect(api.server.getContent(ITEM)?.title).toBe(TITLE)
      await expectNoTokenOf(alice, bob)
    },
  )

  it('Alice closes her tab and Bob can edit within seconds: the keepalive release reached the server', async () => {
    const alice = await person('alice')
    await openEditor(alice.page)
    await alice.page.getByText('You are editing this item.').waitFor()
    const bob = await person('bob')
    await openEditor(bob.page)
    await bob.page.getByText(/^Alice Archer is editing this item since/).waitFor()

    const before = api.server.log.at(-1)?.id ?? 0
    const closedAt = Date.now()
    await alice.page.close({ runBeforeUnload: true })
    const release = (entry: LogEntry) =>
      entry.id > before &&
      entry.user === 'alice' &&
      entry.endpoint === 'lock' &&
      entry.path === ITEM &&
      entry.status === 200 &&
      (dialect === 'plone' ? entry.method === 'DELETE' : entry.method === 'PATCH')
    await eventually(() => logged(release) !== undefined, 5000, "Alice's release on the server")

    await bob.page.getByRole('button', { name: 'Load and edit' }).click({ timeout: 8000 })
    await bob.page.getByText('You are editing this item.').waitFor()
    expect(Date.now() - closedAt).toBeLessThan(10_000)
    expect(api.server.getLock(ITEM)?.user).toBe('bob')
    await expectNoTokenOf(alice, bob)
  })

  it('asks before leaving unsaved changes, keeps them on "Stay", and gives the lock back on "Leave"', async () => {
    const alice = await person('alice')
    const { page } = alice
    await openEditor(page)
    await page.getByText('You are editing this item.').waitFor()
    await page.getByLabel('Summary').fill('Half-written summary')

    await page.getByRole('link', { name: 'Back to the item' }).click()
    const dialog = page.getByRole('alertdialog')
    await dialog.getByText('Leave without saving? Your changes to this item will be lost.').waitFor()
    await dialog.getByRole('button', { name: 'Stay' }).click()
    expect(await page.getByLabel('Summary').inputValue()).toBe('Half-written summary')
    expect(page.url()).toMatch(/\/edit\/news\/quarterly-report$/)
    expect(api.server.getLock(ITEM)?.user).toBe('alice')

    await page.getByRole('button', { name: 'Log out' }).click()
    await dialog.getByRole('button', { name: 'Leave' }).click()
    await page.getByRole('button', { name: 'Log in' }).waitFor()
    await eventually(() => api.server.getLock(ITEM) === null || api.server.getLock(ITEM)?.timeout === 1, 5000, 'released on leaving')
    expect(api.server.getContent(ITEM)?.description).toBe('Figures for the last three months.')
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0)

    // Logged out for good, and back in again.
    await page.getByLabel('User name').fill('alice')
    await page.getByLabel('Password').fill('secret')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('heading', { name: 'News' }).waitFor()
    await page.waitForTimeout(300)
    expect(await page.getByRole('heading', { name: 'News' }).isVisible()).toBe(true)
    // The changes she chose to leave are not offered back.
    await openEditor(page)
    await page.getByText('You are editing this item.').waitFor()
    expect(await page.getByLabel('Summary').inputValue()).toBe('Figures for the last three months.')
    expect(await page.getByText('You have changes to this item').count()).toBe(0)
  })

  it('text typed in a tab that closed is offered back when the item is opened again, and saved', async () => {
    const alice = await person('alice')
    await openEditor(alice.page)
    await alice.page.getByText('You are editing this item.').waitFor()
    await alice.page.getByLabel('Title').fill('Typed, then the tab closed')
    await alice.page.close({ runBeforeUnload: true })

    // Another tab of the same browser: a new login (the session is the tab's), the same backup.
    const page = await alice.context.newPage()
    await page.goto(`${site.url}/login`)
    await page.getByLabel('Site').fill(api.url)
    await page.getByLabel('User name').fill('alice')
    await page.getByLabel('Password').fill('secret')
    await page.getByRole('button', { name: 'Log in' }).click()
    await openEditor(page)
    await page.getByText(/^You have changes to this item from .* that were not saved\./).waitFor()
    expect(await page.getByLabel('Title').inputValue()).toBe(TITLE)
    await page.getByRole('button', { name: 'Restore my changes' }).click()
    expect(await page.getByLabel('Title').inputValue()).toBe('Typed, then the tab closed')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Your changes were saved.').waitFor()
    expect(api.server.getContent(ITEM)?.title).toBe('Typed, then the tab closed')
  })

  it('back and forward take the lock again, within the app and across documents', async () => {
    const alice = await person('alice')
    const { page } = alice
    await openEditor(page)
    await page.getByText('You are editing this item.').waitFor()
    const editUrl = page.url()

    // Within the app: leaving the form gives the lock back, coming back to it takes it again.
    await page.getByRole('link', { name: 'Back to the item' }).click()
    await page.getByRole('link', { name: 'Edit' }).waitFor()
    await eventually(() => api.server.getLock(ITEM) === null || api.server.getLock(ITEM)?.timeout === 1, 5000, 'released on leaving the form')
    await page.goBack()
    await page.getByText('You are editing this item.').waitFor()
    expect(page.url()).toBe(editUrl)

    // Across documents: the page goes away (into the back/forward cache, or not), and comes back.
    const before = api.server.log.at(-1)?.id ?? 0
    await page.goto("about:blank")
    await eventually(
      () => logged((entry) => entry.id > before && entry.user === 'alice' && entry.endpoint === 'lock' && entry.method !== 'GET' && entry.method !== 'POST') !== undefined,
      5000,
      'released as the page went away',
    )
    await page.goBack()
    await page.getByText('You are editing this item.').waitFor()
    // A lock given back on Nick lapses within two seconds; the one taken on return lasts.
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(api.server.getLock(ITEM)?.user).toBe('alice')
  })
})

describe('logging in', () => {
  it('says so in its own words for a wrong password, and for a server that does not allow this origin', async () => {
    const allowed = await runServerCommand(['--port', '0', '--origin', site.url, '--quiet'], { print: () => {} })
    const elsewhere = await runServerCommand(['--port', '0', '--origin', 'http://localhost:1', '--quiet'], { print: () => {} })
    if (!allowed || !elsewhere) throw new Error('no server')
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${site.url}/login`)
      await page.getByLabel('Site').fill(allowed.url)
      await page.getByLabel('User name').fill('alice')
      await page.getByLabel('Password').fill('wrong')
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.getByRole('alert').getByText('Wrong user name or password.').waitFor()

      // The browser keeps the answer from the page: the preflight names no allowed origin.
      await page.getByLabel('Site').fill(elsewhere.url)
      await page.getByLabel('Password').fill('secret')
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.getByRole('alert').getByText(/could not be reached\. Is it running, and does it allow this page's address\?/).waitFor()
      expect(elsewhere.server.log).toEqual([])
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0)
    } finally {
      await context.close()
      await allowed.close()
      await elsewhere.close()
    }
  })
})
