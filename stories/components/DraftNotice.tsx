import type { DraftResult } from '../../src'
import { formatTime } from './formatTime'
import { WarningIcon } from './icons'
import { draftErrorText } from './messages'

export interface DraftNoticeProps {
  draft: DraftResult<{ title: string }>
  /** Puts restored values into the form. */
  onRestore: (values: { title: string }) => void
  /** Shows the item as the server has it, dropping what was typed. */
  onShowSaved: () => void
}

/**
 * What the form's local backup has to say: a draft found when the form opened (restore or discard), a document saved
 * by someone else since the text on screen began (show theirs, or keep one's own), and whether the text is kept.
 * One `status` region, always on the page, so that screen readers announce each change.
 */
export function DraftNotice({ draft, onRestore, onShowSaved }: DraftNoticeProps) {
  const { offer } = draft
  return (
    <section className="draft-notice" aria-label="Unsaved changes">
      <p role="status">
        {offer && (
          <>
            {offer.changedSince && <WarningIcon />} You have unsaved changes from {formatTime(offer.savedAt)}, kept in this
            browser: “{offer.values.title}”.
            {offer.changedSince && ' Someone has saved this document since you began them: restoring them and saving would overwrite that.'}
          </>
        )}
        {!offer && draft.checking && 'Checking whether the document changed while you were away…'}
        {!offer && !draft.checking && draft.changedOnServer && (
          <>
            <WarningIcon /> Someone saved this document since you began. Saving now would overwrite their changes: look at
            the saved version, or keep your text and save over it.
          </>
        )}
      </p>
      {offer && (
        <div className="buttons">
          <button type="button" onClick={() => onRestore(offer.restore())}>
            Restore my changes
          </button>
          <button type="button" onClick={offer.discard}>
            Discard them
          </button>
        </div>
      )}
      {!offer && !draft.checking && draft.changedOnServer && (
        <div className="buttons">
          <button type="button" onClick={onShowSaved}>
            Show the saved version
          </button>
          <button type="button" onClick={draft.rebase}>
            Keep my text
          </button>
        </div>
      )}
      {draft.storedAt && !offer && <p className="draft-notice__kept">Your changes are kept in this browser ({formatTime(draft.storedAt)}).</p>}
      {draft.error && <p className="draft-notice__kept">{draftErrorText(draft.error)}</p>}
    </section>
  )
}
