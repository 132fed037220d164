import { readFile, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { build } from 'vite'

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
}

/**
 * A production build of examples/admin into `outDir`, with the `VITE_ADMIN_*` settings given (short intervals, so
 * that the browser tests need not wait for the defaults).
 */
export async function buildAdmin(outDir: string, settings: Record<string, string>): Promise<void> {
  const saved = { ...process.env }
  Object.assign(process.env, settings)
  try {
    await build({
      configFile: join(process.cwd(), 'examples/admin/vite.config.ts'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    })
  } finally {
    for (const name of Object.keys(settings)) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  }
}

export interface AppServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  close(): Promise<void>
}

/** Serves a built single-page app on a free loopback port: files as they are, any other path gets index.html. */
export async function serveApp(root: string): Promise<AppServer> {
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    const file = normalize(join(root, pathname))
    if (!file.startsWith(root + sep) && file !== root) return void response.writeHead(403).end()
    const isFile = await stat(file).then((info) => info.isFile(), () => false)
    const served = isFile ? file : join(root, 'index.html')
    response.writeHead(200, { 'Content-Type': TYPES[extname(served)] ?? 'application/octet-stream' })
    response.end(await readFile(served))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('The app server has no port.')
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
