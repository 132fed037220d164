// `npm run lock-server -- --dialect nick --port 8080 --origin http://localhost:5173`: the package's
// react-edit-lock-server command, run from the sources of this checkout (no build needed).
import { runnerImport } from 'vite'

const { module } = await runnerImport('/src/testing/node/index.ts', { configFile: false, logLevel: 'error' })
try {
  const api = await module.runServerCommand(process.argv.slice(2))
  if (api) {
    process.stdout.write('Press Ctrl+C to stop.\n')
    const stop = () => void api.close().then(() => process.exit(0))
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(2)
}
