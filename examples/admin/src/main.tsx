import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode, useMemo, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, Link, Navigate, Outlet, RouterProvider, useLocation, useNavigate } from 'react-router'
import { createLockClient, LockProvider } from 'react-edit-lock'
import { LoginPage } from './LoginPage'
import { loadSession, SessionContext, storeSession, useSession } from './session'
import type { Session } from './session'
import './admin.css'

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1 } } })

/** The screens behind the login: one lock client and provider for the logged-in user. */
function Shell() {
  const { session } = useSession()
  const location = useLocation()
  const navigate = useNavigate()
  const client = useMemo(() => (session ? createLockClient({ apiPath: session.api, token: session.token }) : null), [session])
  if (!session || !client) return <Navigate to="/login" replace state={{ from: location.pathname }} />
  return (
    // A new user or site gets a new provider: leases and cached lock status never cross accounts.
    <LockProvider key={`${session.api} ${session.userId}`} client={client}>
      <header className="bar">
        <Link to="/" className="brand">
          Site admin
        </Link>
        <span className="who">
          {session.fullname}
          <button
            type="button"
            onClick={() => {
              // Through the router, so that an edit form with unsaved changes can ask first.
              void navigate('/login', { state: { logout: true } })
            }}
          >
            Log out
          </button>
        </span>
      </header>
      <main>
        <Outlet />
      </main>
    </LockProvider>
  )
}

const router = createBrowserRouter([
  { path: '/login', Component: LoginPage },
  {
    path: '/',
    Component: Shell,
    // Shown while a page opened directly at a route (a reload, a link) loads that route's chunk.
    HydrateFallback: () => <p className="loading">Loading…</p>,
    children: [
      // Each screen is its own chunk: the listing and the view page never load the edit form's lock lease code.
      { index: true, lazy: () => import('./routes/ListingPage') },
      { path: 'view/*', lazy: () => import('./routes/ViewPage') },
      { path: 'edit/*', lazy: () => import('./routes/EditPage') },
    ],
  },
])

function App() {
  const [session, setSessionState] = useState<Session | null>(loadSession)
  const value = useMemo(
    () => ({
      session,
      setSession: (next: Session | null) => {
        storeSession(next)
        setSessionState(next)
        if (!next) queryClient.clear()
      },
    }),
    [session],
  )
  return (
    <SessionContext.Provider value={value}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </SessionContext.Provider>
  )
}

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root.')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
