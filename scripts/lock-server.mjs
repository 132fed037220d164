// `npm run lock-server -- --dialect nick --port 8080 --origin http://localhost:5173`: the package's
// react-edit-lock-server command, run from the sources of this checkout (no build needed).
import { runnerImport } from 'vite'

const { module } = await runnerImport('/src/testing/node/index.ts', { configFile: false, logLevel: 'error' })
await module.serveUntilStopped(process.argv.slice(2))
