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
  check('an edit form: useLock, useLockStatus, useLockedSave, LockProvider, createLockClient', editForm, '14.4 kB'),
  check('a screen that only shows lock status: useLockStatus, LockProvider, createLockClient', '{ useLockStatus, LockProvider, createLockClient }', '5.2 kB'),
  check(
    'the same edit form with a local draft: useDraft added',
    '{ useLock, useLockStatus, useLockedSave, LockProvider, createLockClient, useDraft }',
    '17.3 kB',
  ),
  // Where `#private` members become WeakMaps and helper calls: must stay within 10% of the edit form above.
  check('the edit form built for ES2020', editForm, '15.7 kB', {
    modifyEsbuildConfig: (config) => ({ ...config, target: 'es2020' }),
  }),
]
