#!/usr/bin/env node
// Serves a simulated plone.restapi or Nick server over HTTP; `--help` lists the options.
import { serveUntilStopped } from '../dist/testing-node.js'

await serveUntilStopped(process.argv.slice(2))
