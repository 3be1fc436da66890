// Restores the session at start-up and signs in and out.
import type { Client } from '@urql/core'
import { LoginDocument, LogoutDocument, MeDocument } from './gql/graphql'
import { isUnauthenticated } from './urql'
import { errorMessage } from './lib/connection'
import type { useAuthStore } from './stores/auth'

type Auth = ReturnType<typeof useAuthStore>

/**
 * Asks the API who the token belongs to. `me` answering null means the
 * server has accounts and the viewer is anonymous (or the token expired):
 * sign-in is then required. A server without accounts rejects the query
 * itself, and every page stays open.
 */
export async function restoreSession(client: Client, auth: Auth): Promise<void> {
  const r = await client.query(MeDocument, {}, { requestPolicy: 'network-only' }).toPromise()
  if (r.data?.me) {
    auth.user = r.data.me
    return
  }
  if ((r.data && r.data.me === null) || isUnauthenticated(r.error)) {
    auth.required = true
    if (auth.token) auth.signOut()
  }
}

/** Signs in; returns the error message, or '' on success. */
export async function signIn(client: Client, auth: Auth, username: string, password: string): Promise<string> {
  const r = await client.mutation(LoginDocument, { username, password }).toPromise()
  if (r.error || !r.data) return errorMessage(r.error) || 'login failed'
  auth.setSession(r.data.login.token, r.data.login.user)
  return ''
}

/** Ends the session on the server (best effort) and forgets it here. */
export async function signOut(client: Client, auth: Auth): Promise<void> {
  if (auth.token) await client.mutation(LogoutDocument, {}).toPromise().catch(() => undefined)
  auth.signOut()
  auth.required = true
}
