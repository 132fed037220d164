#!/usr/bin/env node
// Serves a simulated plone.restapi or Nick server over HTTP; `--help` lists the options.
import { runServerCommand } from '../dist/testing-node.js'

try {
  const api = await runServerCommand(process.argv.slice(2))
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
