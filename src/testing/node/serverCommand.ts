// Node.js only: the build checks src/ without Node's types, which this module needs.
/// <reference types="node" />
import { parseArgs } from 'node:util'
import type { LogEntry, SimulatedDialect } from '../types'
import { listenLockServer } from './listenLockServer'
import type { ListeningLockServer } from './listenLockServer'

/** The items the command's server starts with: a folder of news items. */
export const DEMO_CONTENT: ReadonlyArray<{ path: string; title: string; description: string }> = [
  { path: '/news', title: 'News', description: 'What happened lately.' },
  { path: '/news/quarterly-report', title: 'Quarterly report', description: 'Figures for the last three months.' },
  { path: '/news/summer-party', title: 'Summer party', description: 'Friday at six, in the garden.' },
  { path: '/news/new-office', title: 'We moved to a new office', description: 'Second floor, next to the station.' },
]

const DEFAULT_BASE_PATH: Record<SimulatedDialect, string> = { plone: '/Plone/++api++', nick: '' }

const USAGE = `Usage: react-edit-lock-server [options]

Serves a simulated plone.restapi or Nick server for the @lock protocol over HTTP, with a few users and items.

  --dialect plone|nick   which server to behave like (default: plone)
  --port N               port to listen on; 0 takes a free one (default: 8080)
  --host HOST            interface to listen on (default: 127.0.0.1)
  --origin URL           a browser origin allowed to call the API (CORS); repeat it, or "*" for any (default: none)
  --base-path PATH       where the API sits (default: /Plone/++api++ for plone, the root for nick)
  --quiet                do not print each request
  --help                 show this help`

/** How the command talks to its terminal. */
export interface ServerCommandOutput {
  /** One line for the user: the URL, the logins, each request. Defaults to standard output. */
  print?: (line: string) => void
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text)) throw new TypeError(`--port must be a number from 0 to 65535, got "${text}".\n\n${USAGE}`)
  return Number(text)
}

function formatEntry(entry: LogEntry): string {
  const time = new Date(entry.time).toISOString().slice(11, 19)
  const endpoint = entry.endpoint === 'content' ? '' : ` @${entry.endpoint}`
  const token = entry.lockToken === 'none' ? '' : ` Lock-Token ${entry.lockToken}`
  return `${time}  ${entry.method.padEnd(6)} ${entry.path}${endpoint}  ${entry.user ?? 'anonymous'}  ${entry.status}${token}`
}

/**
 * What `npx react-edit-lock-server` runs: reads its arguments, starts a simulated server with the users alice, bob
 * and carol (password `secret`) and the items of `DEMO_CONTENT`, and prints its URL and logins. Throws a
 * `TypeError` with the usage for arguments it does not understand. `--help` prints the usage and returns `null`.
 */
export async function runServerCommand(
  args: readonly string[],
  { print = (line) => process.stdout.write(`${line}\n`) }: ServerCommandOutput = {},
): Promise<ListeningLockServer | null> {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...args],
      options: {
        dialect: { type: 'string', default: 'plone' },
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
        origin: { type: 'string', multiple: true },
        'base-path': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    throw new TypeError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`, { cause: error })
  }
  if (values.help) {
    print(USAGE)
    return null
  }
  const dialect = values.dialect
  if (dialect !== 'plone' && dialect !== 'nick') {
    throw new TypeError(`--dialect must be "plone" or "nick", got "${dialect}".\n\n${USAGE}`)
  }
  const origins = (values.origin ?? []).flatMap((origin) => origin.split(',')).map((origin) => origin.trim())
  let api: ListeningLockServer
  try {
    api = await listenLockServer({
      dialect,
      port: parsePort(values.port),
      host: values.host,
      basePath: values['base-path'] ?? DEFAULT_BASE_PATH[dialect],
      origin: origins.includes('*') ? '*' : origins,
    })
  } catch (error) {
    if (error instanceof TypeError && !error.message.includes(USAGE)) throw new TypeError(`${error.message}\n\n${USAGE}`, { cause: error })
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new Error(`Port ${values.port} on ${values.host} is already in use: choose another with --port (0 takes a free one).`, { cause: error })
    }
    throw error
  }
  for (const item of DEMO_CONTENT) api.server.setContent(item.path, { title: item.title, description: item.description })

  const name = dialect === 'nick' ? 'Nick' : 'plone.restapi'
  print(`Simulated ${name} server: ${api.url}`)
  print(`Browser origins allowed (CORS): ${origins.length > 0 ? origins.join(', ') : 'none (add --origin URL)'}`)
  print('Users: alice (Alice Archer), bob (Bob Baker), carol (Carol Chen); password for each: secret')
  print(`Items: ${DEMO_CONTENT.map((item) => item.path).join(', ')}`)
  if (!values.quiet) api.server.subscribe((entry) => print(formatEntry(entry)))
  return api
}

/**
 * The `react-edit-lock-server` command as a process: runs {@link runServerCommand} on `args`, serves until SIGINT or
 * SIGTERM, and exits with status 2 and the message (usage included) for arguments it does not understand.
 */
export async function serveUntilStopped(args: readonly string[]): Promise<void> {
  try {
    const api = await runServerCommand(args)
    if (!api) return
    process.stdout.write('Press Ctrl+C to stop.\n')
    const stop = () => void api.close().then(() => process.exit(0))
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(2)
  }
}
