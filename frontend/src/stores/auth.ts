// Who is signed in: the bearer token the urql client sends (kept in
// localStorage), the user it belongs to (from `login` or `me`), and what the
// user's role may use. Sign-in is demanded once the API answers
// UNAUTHENTICATED; until then (an API without accounts) every page is open.
import { mayWrite } from '@/lib/writers'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { SessionUserFragment, UserRole } from '@/gql/graphql'

const TOKEN_KEY = 'yanzhen.token'

/** The parts of the app a role may use; see `can`. */
export type Feature =
  | 'browse'
  | 'people'
  | 'mentoring'
  | 'institutions'
  | 'matching'
  | 'dashboard'
  | 'alerts'
  | 'import'
  | 'vocabulary'
  | 'logContact'
  | 'inbox'
  | 'rosters'
  | 'audit'
  | 'accounts'
  | 'edit'
  | 'serviceRecords'

/**
 * What each role may use, after the server's rules (README "Who may see
 * what"): the server enforces them; the app only hides what would be refused.
 */
export const roleFeatures: Record<UserRole, Feature[]> = {
  ADMIN: ['rosters', 'audit', 'accounts', 'edit', 'serviceRecords', 'inbox', 'browse', 'people', 'mentoring', 'institutions', 'matching', 'dashboard', 'alerts', 'import', 'logContact', 'vocabulary'],
  TOWNSHIP: ['rosters', 'edit', 'serviceRecords', 'inbox', 'browse', 'people', 'mentoring', 'institutions', 'matching', 'dashboard', 'alerts', 'import', 'logContact', 'vocabulary'],
  VILLAGE: ['rosters', 'inbox', 'browse', 'people', 'mentoring', 'dashboard', 'alerts', 'logContact', 'vocabulary'],
  // Partners see their own experts and nothing of the analytics.
  PARTNER: ['people', 'institutions', 'serviceRecords'],
}

function readToken(): string {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? ''
  } catch {
    return ''
  }
}

export const useAuthStore = defineStore('auth', () => {
  const token = ref(readToken())
  /** Set once the server has answered UNAUTHENTICATED: from then on pages need a session. */
  const required = ref(false)
  const user = ref<SessionUserFragment | null>(null)

  const signedIn = computed(() => token.value !== '')
  const userName = computed(() => user.value?.username ?? '')
  /** The region the user works in ('' for a national admin or without accounts). */
  const regionCode = computed(() => user.value?.regionCode ?? '')
  /** A national admin may ask for the figures of the whole country (code ""). */
  const national = computed(() => user.value?.role === 'ADMIN' && !user.value.regionCode)

  function setToken(t: string) {
    token.value = t.trim()
    try {
      if (token.value) localStorage.setItem(TOKEN_KEY, token.value)
      else localStorage.removeItem(TOKEN_KEY)
    } catch {
      /* private mode: keep it in memory */
    }
  }

  function setSession(t: string, u: SessionUserFragment) {
    setToken(t)
    user.value = u
  }

  function signOut() {
    setToken('')
    user.value = null
  }

  /** The server refused the request for want of (valid) credentials. */
  function markUnauthenticated() {
    required.value = true
    if (token.value) signOut()
  }

  function can(f: Feature): boolean {
    return user.value === null || roleFeatures[user.value.role].includes(f)
  }

  /** Whether the user may write records of an API type (lib/writers.ts, the server's rule). */
  function canWrite(type: string): boolean {
    return mayWrite(user.value?.role, type)
  }

  /** Headers every API request carries. */
  function headers(): Record<string, string> {
    return token.value ? { Authorization: `Bearer ${token.value}` } : {}
  }

  /** A default region for pages that need one: the user's, else the given one. */
  function defaultRegion(fallback: string): string {
    const c = regionCode.value
    // Pages that analyse a subtree want a county or above; a township or village user gets their own.
    return c || fallback
  }

  return { token, required, user, signedIn, userName, regionCode, national, setToken, setSession, signOut, markUnauthenticated, can, canWrite, headers, defaultRegion }
})
