// The bundles an app pays for, minified and gzipped, with the peers left out, built as an app's production build is
// (ES modules, `process.env.NODE_ENV` set to "production", so the texts meant for developers are left out). esbuild
// bundles without splitting, so a lazily imported module (a dynamic `import()`) counts in the total of the entry that
// loads it.
const peers = ['react', 'react-dom', '@tanstack/react-query']

const editForm = '{ useLock, useLockStatus, useLockedSave, LockProvider, createLockClient }'

const production = (config) => ({ ...config, format: 'esm', define: { 'process.env.NODE_ENV': '"production"' } })

const check = (name, importNames, limit, target) => ({
  name,
  path: 'dist/index.js',
  import: importNames,
  ignore: peers,
  gzip: true,
  limit,
  modifyEsbuildConfig: (config) => production(target ? { ...config, target } : config),
})

export default [
  check('an edit form: useLock, useLockStatus, useLockedSave, LockProvider, createLockClient', editForm, '14.05 kB'),
  check('a screen that only shows lock status: useLockStatus, LockProvider, createLockClient', '{ useLockStatus, LockProvider, createLockClient }', '5.03 kB'),
  check(
    'the same edit form with a local draft: useDraft added',
    '{ useLock, useLockStatus, useLockedSave, LockProvider, createLockClient, useDraft }',
    '17.2 kB',
  ),
  // Where `#private` members become WeakMaps and helper calls. Its budget is 110% of the edit form's above.
  check('the edit form built for ES2020', editForm, '15.45 kB', 'es2020'),
]
