// The offer side of the keeper: finding a stored draft worth offering back when the form opens, and turning the
// keeper's state into the `DraftResult` (with its `DraftOffer`) the form reads. Kept apart from the keeper, which
// decides when these run.
import type { DraftError } from './DraftError'
import { readDraft, removeDraft } from './draftStore'
import type { DraftKey, DraftRecord, DraftStorage } from './draftStore'
import type { DraftOffer, DraftResult } from './draftTypes'
import { asDraftError, canonical } from './draftValues'

/** What the keeper publishes; `DraftResult` is derived from it. */
export interface KeeperState<TValues> {
  record: DraftRecord<TValues> | null
  /** For the offered record: the server's version is not the one it was edited from. */
  recordOutdated: boolean
  changedOnServer: boolean
  checking: boolean
  storedAt: number | null
  error: DraftError | null
}

export const initialKeeperState: KeeperState<never> = {
  record: null,
  recordOutdated: false,
  changedOnServer: false,
  checking: false,
  storedAt: null,
  error: null,
}

/**
 * Reads the stored draft for `key`: the record to offer, the error reading it gave, or `null` when there is none
 * or it holds the values the form shows already (it is then removed).
 */
export function findOffer<TValues>(
  storage: DraftStorage,
  key: DraftKey,
  now: number,
  values: TValues,
): { record: DraftRecord<TValues> } | { error: DraftError } | null {
  let record: DraftRecord<TValues> | null
  try {
    record = readDraft<TValues>(storage, key, now)
  } catch (error) {
    return { error: asDraftError(error) }
  }
  if (!record) return null
  let same = false
  try {
    same = canonical(record.values) === canonical(values)
  } catch {
    // Shown: the editor decides.
  }
  if (same) {
    removeDraft(storage, key)
    return null
  }
  return { record }
}

export function sameKeeperState<TValues>(a: KeeperState<TValues>, b: KeeperState<TValues>): boolean {
  return (
    a.record === b.record &&
    a.recordOutdated === b.recordOutdated &&
    a.changedOnServer === b.changedOnServer &&
    a.checking === b.checking &&
    a.storedAt === b.storedAt &&
    a.error === b.error
  )
}

export function deriveResult<TValues>(
  state: KeeperState<TValues>,
  actions: Pick<DraftResult<TValues>, 'discard' | 'rebase' | 'flush'>,
  offerActions: Pick<DraftOffer<TValues>, 'restore' | 'discard'>,
): DraftResult<TValues> {
  const { record, recordOutdated, changedOnServer, checking, storedAt, error } = state
  const offer: DraftOffer<TValues> | null = record && {
    values: record.values,
    savedAt: new Date(record.savedAt),
    basedOn: record.base,
    changedSince: recordOutdated,
    ...offerActions,
  }
  return {
    offer,
    changedOnServer,
    checking,
    storedAt: storedAt === null ? null : new Date(storedAt),
    error,
    ...actions,
  }
}
