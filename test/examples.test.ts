// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// The code examples of the README and the docs, compiled against the package's source: an example that no longer
// matches the API fails here, not in a reader's editor.

const root = fileURLToPath(new URL('..', import.meta.url))

/** Names the examples use without defining them: the app around the example. */
const PRELUDE = `
declare const session: { jwt: string }
declare const banner: { show(message: string): void }
declare const form: { title: string; readOnly: boolean }
declare const saveButton: { onclick: (() => void) | null }
declare const content: { '@id': string; title: string; modified: string; lock: unknown }
`

interface Example {
  file: string
  line: number
  language: 'ts' | 'tsx'
  code: string
}

function examplesIn(file: string): Example[] {
  const text = readFileSync(join(root, file), 'utf8')
  const found: Example[] = []
  const fence = /^```(tsx?)[^\n]*\n([\s\S]*?)^```/gm
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    const line = text.slice(0, match.index).split('\n').length
    found.push({ file, line, language: match[1] as 'ts' | 'tsx', code: match[2] ?? '' })
  }
  return found
}

function documents(): string[] {
  const inFolder = (folder: string, extension: string) =>
    readdirSync(join(root, folder))
      .filter((name) => name.endsWith(extension))
      .map((name) => `${folder}/${name}`)
  return ['README.md', ...inFolder('docs', '.md'), ...inFolder('stories/docs', '.mdx')]
}

function compile(examples: Example[]): string[] {
  const files = new Map<string, string>()
  files.set(join(root, '.examples/prelude.d.ts'), PRELUDE)
  const names = examples.map((example, index) => {
    const name = join(root, `.examples/example-${index}.${example.language}`)
    // Each example is a module of its own, so that two examples may declare the same names.
    files.set(name, /^\s*(import|export)\s/m.test(example.code) ? example.code : `${example.code}\nexport {}\n`)
    return name
  })
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    baseUrl: root,
    paths: {
      'react-edit-lock': ['src/index.ts'],
      'react-edit-lock/*': ['src/*/index.ts'],
    },
  }
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  const getSourceFile = host.getSourceFile.bind(host)
  host.readFile = (name) => files.get(name) ?? readFile(name)
  host.fileExists = (name) => files.has(name) || fileExists(name)
  host.getSourceFile = (name, language, onError, create) => {
    const text = files.get(name)
    return text === undefined ? getSourceFile(name, language, onError, create) : ts.createSourceFile(name, text, language, true)
  }
  const program = ts.createProgram([...files.keys()], options, host)
  return ts.getPreEmitDiagnostics(program).flatMap((diagnostic) => {
    const index = diagnostic.file ? names.indexOf(diagnostic.file.fileName) : -1
    const example = examples[index]
    if (!example || diagnostic.start === undefined || !diagnostic.file) return []
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    return [`${example.file}:${example.line + 1 + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`]
  })
}

describe.skipIf(process.env.REACT_MAJOR === '18')('code examples in the README and the docs', () => {
  const examples = documents().flatMap(examplesIn)

  it("are found, the README's Quick start among them", () => {
    expect(examples.some((example) => example.file === 'README.md' && example.code.includes('useLockedSave'))).toBe(true)
  })

  it('type-check against the package', () => {
    expect(compile(examples)).toEqual([])
  }, 60_000)
})
