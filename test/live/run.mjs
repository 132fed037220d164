// `npm run test:live`: runs test/live against the real server the environment names, or says why it did not run.
import { spawnSync } from 'node:child_process'

const missing = ['LIVE_API', 'LIVE_OWNER', 'LIVE_OTHER'].filter((name) => !process.env[name])
if (missing.length > 0) {
  process.stderr.write(
    [
      `The live tests did not run: set ${missing.join(', ')}.`,
      '',
      '  LIVE_API    the API root, e.g. http://localhost:8080 (Nick) or http://localhost:8080/Plone/++api++',
      '  LIVE_OWNER  login:password of a user who may add and edit content, e.g. admin:admin',
      '  LIVE_OTHER  login:password of a second user who may edit the same content',
      '  LIVE_FOLDER optional folder to create the test documents in (default: the site root)',
      '  LIVE_TYPE   optional content type to create (default: Document, else Page)',
      '',
      'See docs/live-server.md.',
      '',
    ].join('\n'),
  )
  process.exit(2)
}
for (const [name, value] of Object.entries({ LIVE_OWNER: process.env.LIVE_OWNER, LIVE_OTHER: process.env.LIVE_OTHER })) {
  if (!value.includes(':')) {
    process.stderr.write(`The live tests did not run: ${name} must be login:password.\n`)
    process.exit(2)
  }
}
try {
  await fetch(process.env.LIVE_API, { method: 'GET', headers: { Accept: 'application/json' } })
} catch (error) {
  process.stderr.write(`The live tests did not run: ${process.env.LIVE_API} does not answer (${error.cause?.code ?? error.message}).\n`)
  process.exit(2)
}
const result = spawnSync('npx', ['vitest', 'run', '--project', 'live', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(result.status ?? 1)
