import { expectTypeOf, test } from 'vitest'
import { useDraft, useLock } from '../src'
import type { DraftError, DraftErrorCode, DraftOffer } from '../src'

test('useDraft gives back values of the form’s own type', () => {
  const lock = useLock('/a')
  const draft = useDraft('/a', { title: 'x', tags: ['a'] }, { server: { values: { title: 'x', tags: [] }, version: null }, lock })
  expectTypeOf(draft.offer).toEqualTypeOf<DraftOffer<{ title: string; tags: string[] }> | null>()
  expectTypeOf(draft.offer!.restore()).toEqualTypeOf<{ title: string; tags: string[] }>()
  expectTypeOf(draft.offer!.savedAt).toEqualTypeOf<Date>()
  expectTypeOf(draft.error).toEqualTypeOf<DraftError | null>()
  expectTypeOf<DraftErrorCode>().toEqualTypeOf<'unavailable' | 'quota-exceeded' | 'unserializable' | 'unknown-user' | 'write-failed'>()
  // @ts-expect-error the server's values have the form's shape
  useDraft('/a', { title: 'x' }, { server: { values: { name: 'x' }, version: null } })
  // @ts-expect-error `server` is required: without it nothing could be offered or compared
  useDraft('/a', { title: 'x' }, {})
})
