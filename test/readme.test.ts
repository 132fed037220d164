// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The first markdown table in `text` after `from`: its consecutive lines starting with `|`. */
function tableAfter(text: string, from: number): string {
  const lines = text.slice(from).split('\n')
  const start = lines.findIndex((line) => line.startsWith('|'))
  const rest = lines.slice(start)
  const end = rest.findIndex((line) => !line.startsWith('|'))
  return rest.slice(0, end < 0 ? undefined : end).join('\n')
}

describe('README', () => {
  it("shows the benchmark table of the last full `npm run bench`, as bench/results.md has it", () => {
    const readme = read('../README.md')
    const marker = readme.indexOf('<!-- bench:start')
    expect(marker).toBeGreaterThan(0)
    const shown = tableAfter(readme, marker)
    expect(shown.split('\n').length).toBeGreaterThan(10)
    expect(shown).toBe(tableAfter(read('../bench/results.md'), 0))
  })
})
