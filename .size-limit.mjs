// The bundles an app pays for, minified and gzipped, with the peers left out. esbuild bundles without splitting, so
// a lazily imported module (a dynamic `import()`) counts in the total of the entry that loads it.
const peers = ['react', 'react-dom', '@tanstack/react-query']

const editForm = '{ useLock, useLockStatus, useLockedSave, LockProvider, createLockClient }'

const check = (name, importNames, limit, extra = {}) => ({
  name,
  path: 'dist/index.js',
  import: importNames,
  ignore: peers,
  gzip: true,
  limit,
  ...extra,
})

export default [
  check('an edit form: useLock, useLockStatus, useLockedSave, LockProvider, createLockClient', editForm, '14.2 kB'),
  check('a screen that only shows lock status: useLockStatus, LockProvider, createLockClient', '{ useLockStatus, LockProvider, createLockClient }', '5.1 kB'),
  check(
    'the same edit form with a local draft: useDraft added',
    '{ useLock, useLockStatus, useLockedSave, LockProvider, createLockClient, useDraft }',
    '17 kB',
  ),
  // Where `#private` members become WeakMaps and helper calls. Its budget is 110% of the edit form's above.
  check('the edit form built for ES2020', editForm, '15.4 kB', {
    modifyEsbuildConfig: (config) => ({ ...config, target: 'es2020' }),
  }),
]
