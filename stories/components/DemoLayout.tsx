import type { ReactNode } from 'react'
import type { UseLockOptions } from '../../src'
import { logTitle } from './demoServer'
import type { DemoSite, DemoUser } from './demoServer'
import { EditorPanel } from './EditorPanel'
import type { EditorPanelProps } from './EditorPanel'
import { RequestLog } from './RequestLog'

/** A 30 s lock, which refreshes every 10 s, so that a person watching sees it happen; real forms keep the default (600 s). */
export const SHORT_LOCK: UseLockOptions = { lockTimeout: 30_000 }

/**
 * The short lock, checked every 2 s as well, so that a displaced editor is told within 2 s; real forms keep the
 * default (30 s).
 */
export const WATCHED_LOCK: UseLockOptions = { ...SHORT_LOCK, checkInterval: 2000 }

/** How often a closed form's lock badge asks who holds the lock, in ms: as often as an open form checks. */
const BADGE_REFETCH_INTERVAL = 2000

/** What a user's screen needs to know of the site: whose it is, where the server is, and the document. */
export function screenProps(site: DemoSite, user: DemoUser): Pick<EditorPanelProps, 'label' | 'apiPath' | 'token' | 'path'> {
  return { label: user.label, apiPath: site.apiPath, token: site.tokenFor(user), path: site.document }
}

export interface DemoLayoutProps {
  site: DemoSite
  /** One screen, or two side by side. */
  layout: 'single' | 'two-editors'
  /** The users' screens. */
  children: ReactNode
}

/**
 * A demo's screens, followed by the requests the simulated server answered or, on a real server, where to see
 * them.
 */
export function DemoLayout({ site, layout, children }: DemoLayoutProps) {
  return (
    <div className={`demo demo--${layout}`}>
      {children}
      {site.server ? (
        <RequestLog server={site.server} title={logTitle(site.server.dialect)} />
      ) : (
        <p className="demo__note">Working on {site.apiPath}: the browser&rsquo;s network panel shows the requests.</p>
      )}
    </div>
  )
}

/**
 * Alice and Bob on the site's document, side by side: Alice's form open (her page reloadable if asked), Bob's
 * closed, both on the watched short lock.
 */
export function TwoEditorsLayout({ site, reloadable = false }: { site: DemoSite; reloadable?: boolean }) {
  return (
    <DemoLayout site={site} layout="two-editors">
      <EditorPanel
        {...screenProps(site, site.alice)}
        startEditing
        reloadable={reloadable}
        lockOptions={WATCHED_LOCK}
        badgeRefetchInterval={BADGE_REFETCH_INTERVAL}
      />
      <EditorPanel {...screenProps(site, site.bob)} lockOptions={WATCHED_LOCK} badgeRefetchInterval={BADGE_REFETCH_INTERVAL} />
    </DemoLayout>
  )
}
