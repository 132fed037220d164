import { expectTypeOf, test } from 'vitest'
import { createLockClient, LockError, useLock, useLockedSave, useLockStatus } from '../src'
import type { LeaseStatus, LockErrorCode, LockHolder, LockInfo, LockResult, LostReason } from '../src'

test('useLock returns the full result, or what select picks', () => {
  expectTypeOf(useLock('/a')).toEqualTypeOf<LockResult>()
  expectTypeOf(useLock('/a', { select: (r) => r.status })).toEqualTypeOf<LeaseStatus>()
  expectTypeOf(useLock('/a', { select: (r) => ({ held: r.isHeld }) })).toEqualTypeOf<{ held: boolean }>()
  expectTypeOf<LockResult['status']>().toEqualTypeOf<
    'idle' | 'acquiring' | 'held' | 'locked' | 'lost' | 'released' | 'unavailable' | 'error'
  >()
  expectTypeOf<LockResult['lostReason']>().toEqualTypeOf<LostReason | null>()
  // @ts-expect-error options are checked
  useLock('/a', { timeout: '600' })
})

test('useLockStatus exposes the lock and the derived fields', () => {
  const status = useLockStatus('/a')
  expectTypeOf(status.data).toEqualTypeOf<LockInfo | undefined>()
  expectTypeOf(status.error).toEqualTypeOf<LockError | null>()
  expectTypeOf(status.isLockedByOther).toEqualTypeOf<boolean>()
  expectTypeOf(status.holder).toEqualTypeOf<LockHolder | null>()
  expectTypeOf<LockHolder['where']>().toEqualTypeOf<'this-tab' | 'other-tab' | null>()
})

test('useLockedSave is typed by data and variables; errors are LockErrors', () => {
  const save = useLockedSave<{ ok: true }, { title: string }>('/a')
  expectTypeOf(save.mutate).parameter(0).toEqualTypeOf<{ title: string }>()
  expectTypeOf(save.error).toEqualTypeOf<LockError | null>()
  useLockedSave<string, { title: string }>('/a', {
    mutationFn: async (variables, context) => {
      expectTypeOf(variables).toEqualTypeOf<{ title: string }>()
      expectTypeOf(context.token).toEqualTypeOf<string | null>()
      return 'saved'
    },
  })
})

test('errors carry a closed set of codes', () => {
  expectTypeOf<LockError['code']>().toEqualTypeOf<LockErrorCode>()
  // @ts-expect-error not a code
  new LockError('oops', 'x')
  expectTypeOf(createLockClient).parameter(0).toHaveProperty('apiPath').toEqualTypeOf<string>()
})
