import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useAuthStore } from '@/stores/auth'
import { homeRoute, makeRouter } from '@/router'
import type { SessionUserFragment } from '@/gql/graphql'

const user = (over: Partial<SessionUserFragment>): SessionUserFragment => ({
  __typename: 'User',
  id: 'VXNlcjox',
  username: 'u',
  role: 'ADMIN',
  regionCode: '',
  institutionID: null,
  personalDataAccess: false,
  institution: null,
  ...over,
})

beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
})

describe('auth store', () => {
  it('keeps the token and sends it as a bearer header', () => {
    const auth = useAuthStore()
    expect(auth.headers()).toEqual({})
    auth.setSession(' tok ', user({}))
    expect(auth.headers()).toEqual({ Authorization: 'Bearer tok' })
    expect(localStorage.getItem('yanzhen.token')).toBe('tok')
    // a new store (a reload) reads it back
    setActivePinia(createPinia())
    expect(useAuthStore().token).toBe('tok')
  })

  it('forgets the session when the server says UNAUTHENTICATED', () => {
    const auth = useAuthStore()
    auth.setSession('tok', user({}))
    auth.markUnauthenticated()
    expect(auth.required).toBe(true)
    expect(auth.signedIn).toBe(false)
    expect(auth.user).toBeNull()
    expect(localStorage.getItem('yanzhen.token')).toBeNull()
  })

  it('opens everything without accounts, and what the role may use with them', () => {
    const auth = useAuthStore()
    expect(auth.can('import')).toBe(true)
    auth.setSession('t', user({ role: 'VILLAGE', regionCode: '150221104200' }))
    expect(auth.can('logContact')).toBe(true)
    expect(auth.can('import')).toBe(false)
    expect(auth.can('matching')).toBe(false)
    auth.setSession('t', user({ role: 'PARTNER', institutionID: 'SW5z' }))
    expect(auth.can('institutions')).toBe(true)
    expect(auth.can('dashboard')).toBe(false)
    expect(auth.can('browse')).toBe(false)
  })

  it('starts users at their region or institution', () => {
    const auth = useAuthStore()
    expect(homeRoute(auth)).toBeNull()
    auth.setSession('t', user({ regionCode: '' }))
    expect(homeRoute(auth)).toBeNull()
    auth.setSession('t', user({ role: 'TOWNSHIP', regionCode: '150221104' }))
    expect(homeRoute(auth)).toEqual({ name: 'regions', params: { code: '150221104' } })
    auth.setSession('t', user({ role: 'VILLAGE', regionCode: '150221104200' }))
    expect(homeRoute(auth)).toEqual({ name: 'village', params: { code: '150221104200' } })
    auth.setSession('t', user({ role: 'PARTNER', institutionID: 'SW5z' }))
    expect(homeRoute(auth)).toEqual({ name: 'institution', params: { id: 'SW5z' } })
    expect(auth.defaultRegion('150221')).toBe('150221')
  })
})

// The first navigation to a page compiles it (lazy route, Element Plus
// inlined): seconds on a busy machine, so these tests get more than 5 s.
describe('route guard', { timeout: 30_000 }, () => {
  async function go(path: string) {
    const pinia = createPinia()
    setActivePinia(pinia)
    const auth = useAuthStore()
    const router = makeRouter(pinia)
    return { auth, router, to: async (p = path) => (await router.push(p), router.currentRoute.value) }
  }

  it('lets everyone in while the server does not ask for accounts', async () => {
    const { to } = await go('/import')
    expect((await to()).name).toBe('import')
  })

  it('sends to the sign-in page, remembering where to, once sign-in is required', async () => {
    const { auth, to } = await go('/alerts?code=42')
    auth.required = true
    const r = await to()
    expect(r.name).toBe('login')
    expect(r.query.redirect).toBe('/alerts?code=42')
    auth.setSession('t', user({}))
    expect((await to()).name).toBe('alerts')
  })

  it('keeps a role away from what it may not use', async () => {
    const { auth, to } = await go('/import')
    auth.required = true
    auth.setSession('t', user({ role: 'VILLAGE', regionCode: '150221104200' }))
    const r = await to()
    expect(r.name).toBe('village')
    expect(r.params.code).toBe('150221104200')
    expect((await to('/')).name).toBe('village')
  })
})
