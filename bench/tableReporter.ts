import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import type { Reporter, TestModule } from 'vitest/node'
import type { ResultRow } from './record'

const require = createRequire(import.meta.url)
const SECTIONS = ['1', '2', '3', '4', '5', '6', '7', '8']

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

function byKey(a: ResultRow, b: ResultRow): number {
  const [a1 = 0, a2 = 0] = a.key.split('.').map(Number)
  const [b1 = 0, b2 = 0] = b.key.split('.').map(Number)
  return a1 - b1 || a2 - b2
}

const MEASUREMENTS = new URL('../docs/measurements.md', import.meta.url)
const TABLE_START = '<!-- bench:start (written by npm run bench) -->'
const TABLE_END = '<!-- bench:end -->'

/** Puts the results table into docs/measurements.md, between its markers. */
function writeMeasurementsTable(resultsTable: string): void {
  const page = readFileSync(MEASUREMENTS, 'utf8')
  const start = page.indexOf(TABLE_START)
  const end = page.indexOf(TABLE_END)
  if (start < 0 || end < start) throw new Error(`docs/measurements.md has no "${TABLE_START}" … "${TABLE_END}" block for the table.`)
  writeFileSync(MEASUREMENTS, `${page.slice(0, start + TABLE_START.length)}\n${resultsTable}\n${page.slice(end)}`)
}

/**
 * Prints the rows the measurements recorded as one markdown table, and writes it to bench/results.md and into
 * docs/measurements.md.
 */
export default class TableReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows: ResultRow[] = []
    const details: { table: string; header: string[]; rows: string[][] }[] = []
    const failed: string[] = []
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const meta = test.meta()
        rows.push(...(meta.benchRows ?? []))
        details.push(...(meta.benchDetails ?? []))
        if (test.result().state === 'failed') failed.push(test.fullName)
      }
    }
    rows.sort(byKey)
    const react = (require('react/package.json') as { version: string }).version
    const resultsTable = table(
      ['#', 'measurement', 'react-edit-lock', 'compared with', 'ratio'],
      rows.map((row) => [row.key, row.measurement, row.result, row.reference, row.ratio]),
    )
    const parts = [
      '# Benchmarks',
      '',
      `\`npm run bench\` on Node ${process.version}, React ${react}, ${availableParallelism()} CPUs. Requests and ` +
        'waits are counted on fake timers against the simulated servers, so they do not depend on the machine; ' +
        'times are compared within one run.',
      '',
      resultsTable,
      ...details.flatMap((detail) => ['', `## ${detail.table}`, '', table(detail.header, detail.rows)]),
    ]
    if (failed.length > 0) parts.push('', `Not measured (failed): ${failed.join('; ')}`)
    const markdown = `${parts.join('\n')}\n`
    process.stdout.write(`\n${markdown}`)
    // A partial run (a filtered one, a failure) must not overwrite the full results.
    const sections = new Set(rows.map((row) => row.key.split('.')[0]))
    if (failed.length === 0 && SECTIONS.every((section) => sections.has(section))) {
      writeFileSync(new URL('results.md', import.meta.url), markdown)
      writeMeasurementsTable(resultsTable)
    }
  }
}
