// `npm run example`: the example admin (examples/admin) on a Vite dev server, against the simulated server over HTTP
// (both started here, ports printed), or against a real server when VITE_ADMIN_API names one.
//
//   ADMIN_PORT=5173        the app's port
//   ADMIN_API_PORT=8080    the simulated server's port
//   ADMIN_DIALECT=plone    the simulated server's dialect: plone or nick
//   VITE_ADMIN_API=...     a real plone.restapi or Nick API instead of the simulation (no simulated server starts)
import { createServer, loadEnv, runnerImport } from 'vite'

const appPort = Number(process.env.ADMIN_PORT ?? 5173)
if (!Number.isInteger(appPort) || appPort <= 0 || appPort > 65535) {
  process.stderr.write(`ADMIN_PORT must be a port number, got "${process.env.ADMIN_PORT}".\n`)
  process.exit(2)
}

// A real API named in examples/admin/.env.local counts as much as one in the environment.
const realApi = process.env.VITE_ADMIN_API ?? loadEnv('development', 'examples/admin', 'VITE_ADMIN_').VITE_ADMIN_API
let api = null
if (realApi) {
  process.env.VITE_ADMIN_API = realApi
} else {
  const { module } = await runnerImport('/src/testing/node/index.ts', { configFile: false, logLevel: 'error' })
  try {
    api = await module.runServerCommand([
      '--dialect',
      process.env.ADMIN_DIALECT ?? 'plone',
      '--port',
      process.env.ADMIN_API_PORT ?? '8080',
      '--origin',
      `http://localhost:${appPort}`,
      '--origin',
      `http://127.0.0.1:${appPort}`,
    ])
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(2)
  }
  process.env.VITE_ADMIN_API = api.url
}

const app = await createServer({
  configFile: 'examples/admin/vite.config.ts',
  server: { port: appPort, strictPort: true, host: 'localhost' },
})
await app.listen()
process.stdout.write(`\nExample admin: http://localhost:${appPort}/  (API: ${process.env.VITE_ADMIN_API})\n`)
process.stdout.write(api ? 'Log in as alice or bob, password secret, in two different browsers (or a private window).\n' : '\n')
process.stdout.write('Press Ctrl+C to stop.\n')

const stop = async () => {
  await app.close()
  await api?.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())
