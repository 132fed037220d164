import { useEffect, useState } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { config } from './config'
import { logIn, LoginError, useSession } from './session'

/** The login screen: a site, a user name and a password, exchanged for a token with `@login`. */
export function LoginPage() {
  const { session, setSession } = useSession()
  const navigate = useNavigate()
  const location = useLocation()
  const state = location.state as { from?: string; logout?: boolean } | null
  const [api, setApi] = useState(session?.api ?? config.api)
  const [login, setLogin] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)

  // Arriving here from "Log out" ends the session; the screens behind the login have already unmounted.
  useEffect(() => {
    if (!state?.logout) return
    setSession(null)
    // Forget the request, so that logging in again here is not undone.
    void navigate('/login', { replace: true })
  }, [state, setSession, navigate])

  return (
    <main className="login">
      <h1>Site admin</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          setPending(true)
          setError(null)
          logIn(api, login, password)
            .then((next) => {
              setSession(next)
              void navigate(state?.from && state.from !== '/login' ? state.from : '/', { replace: true })
            })
            .catch((failure: unknown) => {
              setError(failure instanceof LoginError ? failure.message : 'Logging in failed for an unknown reason.')
              setPending(false)
            })
        }}
      >
        <label className="field">
          <span>Site</span>
          <input value={api} onChange={(event) => setApi(event.target.value)} type="url" required />
        </label>
        <label className="field">
          <span>User name</span>
          <input value={login} onChange={(event) => setLogin(event.target.value)} autoComplete="username" required />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            type="password"
            autoComplete="current-password"
            required
          />
        </label>
        <button type="submit" disabled={pending}>
          {pending ? 'Logging in…' : 'Log in'}
        </button>
        <p role="alert" className="error">
          {error}
        </p>
      </form>
    </main>
  )
}
