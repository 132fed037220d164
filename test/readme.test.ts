// @vitest-environment node
import { existsSync, readdirSync, readFileSync } from 'node:fs'
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

describe('docs/measurements.md', () => {
  it("shows the benchmark table of the last full `npm run bench`, as bench/results.md has it", () => {
    const readme = read('../docs/measurements.md')
    const marker = readme.indexOf('<!-- bench:start')
    expect(marker).toBeGreaterThan(0)
    const shown = tableAfter(readme, marker)
    expect(shown.split('\n').length).toBeGreaterThan(10)
    expect(shown).toBe(tableAfter(read('../bench/results.md'), 0))
  })
})

describe('links in the README and docs', () => {
  it('point at files that exist, and at headings that exist in them', () => {
    const root = new URL('../', import.meta.url)
    const pages = ['README.md', ...readdirSync(new URL('docs/', root)).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s-]/gu, '')
        .trim()
        .replace(/\s/g, '-')
    const broken: string[] = []
    for (const page of pages) {
      const text = read(`../${page}`).replace(/^```[\s\S]*?^```/gm, '')
      for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue
        const [file = '', anchor] = target.split('#')
        const url = file === '' ? new URL(page, root) : new URL(file, new URL(page, root))
        if (!existsSync(url)) {
          broken.push(`${page}: ${target}`)
          continue
        }
        if (anchor && url.pathname.endsWith('.md')) {
          const headings = readFileSync(url, 'utf8')
            .split('\n')
            .filter((line) => /^#{1,6} /.test(line))
            .map((line) => slug(line.replace(/^#+ /, '')))
          if (!headings.includes(anchor)) broken.push(`${page}: ${target}`)
        }
      }
    }
    expect(broken).toEqual([])
  })
})
