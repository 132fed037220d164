import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { playwright } from '@vitest/browser-playwright'
import type { BrowserProvider, BrowserProviderOption, TestProject } from 'vitest/node'

/** A Chromium to launch for the story tests, and where it was found. */
export interface ChromiumLaunch {
  executablePath: string
  args: string[]
  source: string
}

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
]

// On a closed network Chromium's background services keep dialling Google and fail, many connections at a time.
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

// Flags the package passes for serverless sandboxes. The first three would make the bundled browser behave unlike a
// system one (cross-origin requests, mixed content); one process without a zygote is only needed inside such a
// sandbox and makes the story run here slower by a quarter.
const SERVERLESS_ONLY = [
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
  '--single-process',
  '--no-zygote',
]

const HOW_TO_PROVIDE = [
  'No Chromium found for the story tests. Provide one of:',
  '  - CHROMIUM_PATH=/path/to/chromium (or CHROME_PATH)',
  `  - a system browser at ${SYSTEM_PATHS.join(', ')} (Debian: apt-get install chromium)`,
  '  - the bundled one: npm ci installs @sparticuz/chromium (Linux x64 only)',
].join('\n')

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function fromEnv(env: NodeJS.ProcessEnv): ChromiumLaunch | null {
  for (const name of ['CHROMIUM_PATH', 'CHROME_PATH']) {
    const path = env[name]
    if (!path) continue
    // A browser named on purpose must not be swapped for another one behind the user's back.
    if (!isExecutable(path)) throw new Error(`${name}=${path} is not an executable file.`)
    return { executablePath: path, args: ARGS, source: name }
  }
  return null
}

function fromSystem(): ChromiumLaunch | null {
  const path = SYSTEM_PATHS.find(isExecutable)
  return path ? { executablePath: path, args: ARGS, source: 'system' } : null
}

/** The version of the package `entry` belongs to: the nearest package.json above it that carries the package's name. */
function packageVersion(entry: string, name: string): string {
  for (let folder = dirname(entry); folder !== dirname(folder); folder = dirname(folder)) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (manifest.name === name && manifest.version) return manifest.version
    } catch {
      // No package.json here (or a build folder's partial one): look further up.
    }
  }
  throw new Error(`No package.json of ${name} above ${entry}.`)
}

async function fromPackage(): Promise<ChromiumLaunch | null> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return null
  let entry: string
  try {
    entry = createRequire(import.meta.url).resolve('@sparticuz/chromium')
  } catch {
    return null
  }
  const version = packageVersion(entry, '@sparticuz/chromium')
  const { default: Chromium } = await import('@sparticuz/chromium')
  const executablePath = await unpack(Chromium, join(tmpdir(), `react-edit-lock-chromium-${version}`))
  const args = Chromium.args.filter((arg) => !SERVERLESS_ONLY.includes(arg))
  return { executablePath, args: [...args, ...ARGS], source: `@sparticuz/chromium ${version}` }
}

/**
 * The package unpacks into `os.tmpdir()` and trusts whatever it finds there, so an interrupted unpack or another
 * project's version would be reused. Unpack into a fresh folder and move it into place only when complete.
 */
async function unpack(Chromium: { executablePath(): Promise<string> }, folder: string): Promise<string> {
  const binary = join(folder, 'chromium')
  if (isExecutable(binary)) return binary
  const partial = await mkdtemp(`${folder}.partial-`)
  const saved = process.env.TMPDIR
  process.env.TMPDIR = partial
  let unpacking: Promise<string>
  try {
    // The package reads the temporary folder synchronously, before its first await.
    unpacking = Chromium.executablePath()
  } finally {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
  }
  try {
    const unpacked = await unpacking
    if (unpacked !== join(partial, 'chromium')) {
      throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, not into ${partial}.`)
    }
    await rename(partial, folder)
  } catch (error) {
    await rm(partial, { recursive: true, force: true })
    // Another run may have moved its own copy into place first.
    if (!existsSync(binary)) throw error
  }
  return binary
}

/**
 * Finds a Chromium: `CHROMIUM_PATH` or `CHROME_PATH`, else a system browser, else the one inside the
 * `@sparticuz/chromium` package. `EDIT_LOCK_NO_SYSTEM_CHROMIUM=1` skips the system browser, to try the bundled one.
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumLaunch> {
  const found =
    fromEnv(env) ?? (env.EDIT_LOCK_NO_SYSTEM_CHROMIUM === '1' ? null : fromSystem()) ?? (await fromPackage())
  if (!found) throw new Error(HOW_TO_PROVIDE)
  return found
}

/**
 * Vitest's Playwright provider, launching the Chromium that `findChromium` finds. The search (and the unpacking of
 * the bundled browser) waits until a browser project actually starts, so unit runs and builds never pay for it.
 */
export function chromiumProvider(): BrowserProviderOption {
  const base = playwright()
  const providerFactory = async (project: TestProject): Promise<BrowserProvider> => {
    const chromium = await findChromium()
    project.vitest.logger.log(`Chromium for story tests: ${chromium.executablePath} (${chromium.source})`)
    const launchOptions = { executablePath: chromium.executablePath, args: chromium.args }
    return playwright({ launchOptions }).providerFactory(project)
  }
  // Vitest awaits the factory's result, though its type says it is synchronous.
  return { ...base, providerFactory: providerFactory as unknown as typeof base.providerFactory }
}
