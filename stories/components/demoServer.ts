/// <reference types="vite/client" />
import { http, HttpResponse, passthrough } from 'msw'
import type { SetupWorker } from 'msw/browser'
import { createLockServer } from '../../src/testing'
import type { LockServer, SimulatedDialect } from '../../src/testing'
import type { LiveAccount, ReadyUser } from './liveSetup'

/** Someone at a keyboard: the user id the server knows, and how the demo labels their screen. */
export interface DemoUser {
  id: string
  label: string
}

/**
 * Where the demo's editors work: the simulated server (running in the page, with msw), or a real plone.restapi or
 * Nick server named by environment variables.
 */
export interface DemoSite {
  apiPath: string
  /** The simulated server, or `null` against a real one. */
  server: LockServer | null
  /** The document both editors open. */
  document: string
  alice: DemoUser
  bob: DemoUser
  /** The JWT for a user's requests; a function when it comes from a login, done when a request first needs it. */
  tokenFor(user: DemoUser): string | (() => Promise<string>)
}

export const DOCUMENT = '/news/quarterly-report'

export const LISTING = ['/news/quarterly-report', '/news/summer-party', '/news/new-office'] as const

const ALICE: DemoUser = { id: 'alice', label: 'Alice' }
const BOB: DemoUser = { id: 'bob', label: 'Bob' }

let opened = 0

/**
 * A simulated site with a few news items. Every call gets an API path of its own, so that a request still on its
 * way from a demo that was just closed (the release of its lock) can never reach the next demo's server.
 */
export function createSimulatedSite(dialect: SimulatedDialect = 'plone'): DemoSite & { server: LockServer } {
  opened += 1
  const server = createLockServer({ dialect, apiPath: `${location.origin}/demo-site-${opened}/++api++` })
  server.setContent('/news/quarterly-report', { title: 'Quarterly report' })
  server.setContent('/news/summer-party', { title: 'Summer party' })
  server.setContent('/news/new-office', { title: 'We moved to a new office' })
  return {
    apiPath: server.apiPath,
    server,
    document: DOCUMENT,
    alice: ALICE,
    bob: BOB,
    tokenFor: (user) => server.tokenFor(user.id),
  }
}

/** "Requests the simulated Nick server answered", for the request log's heading. */
export function logTitle(dialect: SimulatedDialect): string {
  return `Requests the simulated ${dialect === 'nick' ? 'Nick' : 'plone.restapi'} server answered`
}

/** Serves a simulated site in the page, through the mock service worker. */
export function serveSimulatedSite(msw: SetupWorker, site: DemoSite & { server: LockServer }): void {
  msw.use(...site.server.handlers)
}

/**
 * Answers requests to the sites of demos that were closed (a form's lock given back as it unmounted) with a quiet
 * 410, rather than letting the service worker warn about them during whichever story runs next.
 */
export function answerClosedSites(msw: SetupWorker): void {
  msw.use(
    http.all(new RegExp(`^${escapeRegExp(location.origin)}/demo-site-\\d+/`), () =>
      HttpResponse.json({ error: { type: 'Gone', message: 'This demo site was closed.' } }, { status: 410 }),
    ),
  )
}

/** Lets requests to a real server through the mock service worker, which would otherwise warn about each one. */
export function letThrough(msw: SetupWorker, apiPath: string): void {
  // A RegExp rather than a path pattern: prefixes such as `++api++` are pattern syntax.
  msw.use(http.all(new RegExp(`^${escapeRegExp(apiPath)}(?:/.*)?$`), () => passthrough()))
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export interface LiveConfig {
  apiPath: string
  document: string
  users: { alice: LiveAccount; bob: LiveAccount }
}

function env(name: string): string | undefined {
  const value = (import.meta.env as Record<string, string | undefined>)[name]
  return value?.trim() ? value.trim() : undefined
}

function liveUser(prefix: 'ALICE' | 'BOB', fallbackLabel: string): LiveAccount | null {
  const token = env(`STORYBOOK_LOCK_${prefix}_TOKEN`)
  const login = env(`STORYBOOK_LOCK_${prefix}_LOGIN`)
  const password = env(`STORYBOOK_LOCK_${prefix}_PASSWORD`)
  if (token) return { label: login ?? fallbackLabel, token }
  if (login && password) return { label: login, login, password }
  return null
}

/** The real server to use instead of the simulation, when `STORYBOOK_LOCK_API_PATH` and both users are set. */
export function liveConfig(): LiveConfig | null {
  const apiPath = env('STORYBOOK_LOCK_API_PATH')
  const alice = liveUser('ALICE', 'First editor')
  const bob = liveUser('BOB', 'Second editor')
  if (!apiPath || !alice || !bob) return null
  return { apiPath: apiPath.replace(/\/+$/, ''), document: env('STORYBOOK_LOCK_DOCUMENT') ?? '/front-page', users: { alice, bob } }
}

/** The site for a real server, once `checkLiveSetup` logged both users in; their screens carry their full names. */
export function createLiveSite(config: LiveConfig, users: { alice: ReadyUser; bob: ReadyUser }): DemoSite {
  return {
    apiPath: config.apiPath,
    server: null,
    document: config.document,
    alice: { id: users.alice.id, label: users.alice.name },
    bob: { id: users.bob.id, label: users.bob.name },
    tokenFor: (user) => (user.id === users.alice.id ? users.alice.token : users.bob.token),
  }
}
