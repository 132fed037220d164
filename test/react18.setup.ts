import Module from 'node:module'

// Vite's aliases reach only the modules Vite processes. React DOM 18 is CommonJS that Node loads itself, and it
// requires `react` and `react-dom` by name, which would find React 19 at the top of node_modules: send those
// requests to the React 18 copies too, or the renderer and the hooks would come from different Reacts.
const copies: Record<string, string> = { react: 'react-18', 'react-dom': 'react-dom-18' }

type Resolve = (request: string, ...rest: unknown[]) => string
const loader = Module as unknown as { _resolveFilename: Resolve }
const resolve = loader._resolveFilename

loader._resolveFilename = function (this: unknown, request, ...rest) {
  const match = /^(react|react-dom)(\/.*)?$/.exec(request)
  const target = match ? `${copies[match[1] as string]}${match[2] ?? ''}` : request
  return resolve.call(this, target, ...rest)
}
