// Routes, each page its own chunk. The guard sends to /login only once the
// server has said authentication is required (stores/auth.ts).
import { createRouter, createWebHistory, type RouteLocationRaw, type RouteRecordRaw, type Router } from 'vue-router'
import type { Pinia } from 'pinia'
import { useAuthStore, type Feature } from './stores/auth'
import { regionRoute } from './lib/regions'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** What the role must be allowed to use. */
    feature?: Feature
    /** The i18n key of the page title. */
    title?: string
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'regions-root', component: () => import('./views/RegionBrowser.vue'), meta: { feature: 'browse', title: 'nav.regions' } },
  { path: '/regions/:code', name: 'regions', component: () => import('./views/RegionBrowser.vue'), meta: { feature: 'browse', title: 'nav.regions' } },
  { path: '/villages/:code', name: 'village', component: () => import('./views/VillagePage.vue'), meta: { feature: 'browse', title: 'village.title' } },
  { path: '/people/:id/print', name: 'person-print', component: () => import('./views/PersonPrint.vue'), meta: { feature: 'people', title: 'print.title' } },
  { path: '/people/:id', name: 'person', component: () => import('./views/PersonPage.vue'), meta: { feature: 'people', title: 'person.file' } },
  { path: '/mentoring', name: 'mentoring', component: () => import('./views/MentoringExplorer.vue'), meta: { feature: 'mentoring', title: 'nav.mentoring' } },
  { path: '/institutions', name: 'institutions', component: () => import('./views/InstitutionList.vue'), meta: { feature: 'institutions', title: 'nav.institutions' } },
  { path: '/institutions/:id', name: 'institution', component: () => import('./views/InstitutionPage.vue'), meta: { feature: 'institutions', title: 'nav.institutions' } },
  { path: '/matching', name: 'matching', component: () => import('./views/MatchingWorkbench.vue'), meta: { feature: 'matching', title: 'nav.matching' } },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardPage.vue'), meta: { feature: 'dashboard', title: 'nav.dashboard' } },
  { path: '/terms/compare', name: 'term-compare', component: () => import('./views/TermComparePage.vue'), meta: { feature: 'dashboard', title: 'nav.terms' } },
  { path: '/training', name: 'training', component: () => import('./views/TrainingClassesPage.vue'), meta: { feature: 'browse', title: 'nav.training' } },
  { path: '/inbox', name: 'inbox', component: () => import('./views/InboxPage.vue'), meta: { feature: 'inbox', title: 'nav.inbox' } },
  { path: '/rosters/:kind?', name: 'rosters', component: () => import('./views/RostersPage.vue'), meta: { feature: 'rosters', title: 'nav.rosters' } },
  { path: '/audit', name: 'audit', component: () => import('./views/AuditPage.vue'), meta: { feature: 'audit', title: 'nav.audit' } },
  { path: '/accounts', name: 'accounts', component: () => import('./views/AccountsPage.vue'), meta: { feature: 'accounts', title: 'nav.accounts' } },
  { path: '/alerts', name: 'alerts', component: () => import('./views/AlertsPage.vue'), meta: { feature: 'alerts', title: 'nav.alerts' } },
  { path: '/import', name: 'import', component: () => import('./views/ImportPage.vue'), meta: { feature: 'import', title: 'nav.import' } },
  { path: '/vocabulary', name: 'vocabulary', component: () => import('./views/VocabularyPage.vue'), meta: { feature: 'vocabulary', title: 'nav.vocabulary' } },
  { path: '/login', name: 'login', component: () => import('./views/LoginPage.vue'), meta: { public: true, title: 'nav.login' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFound.vue'), meta: { public: true, title: 'common.notFound' } },
]

/** Where a user starts: a partner at their institution, a scoped user at their region. */
export function homeRoute(auth: ReturnType<typeof useAuthStore>): RouteLocationRaw | null {
  const u = auth.user
  if (!u) return null
  if (u.role === 'PARTNER') return u.institutionID ? { name: 'institution', params: { id: u.institutionID } } : { name: 'institutions' }
  if (u.regionCode) return regionRoute({ code: u.regionCode, level: u.regionCode.length === 12 ? 'VILLAGE' : '' })
  return null
}

export function makeRouter(pinia: Pinia, ready: Promise<void> = Promise.resolve()): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
  router.beforeEach(async (to) => {
    await ready.catch(() => undefined)
    const auth = useAuthStore(pinia)
    if (to.meta.public) return true
    if (auth.required && !auth.signedIn) return { name: 'login', query: { redirect: to.fullPath } }
    const home = homeRoute(auth)
    if (to.name === 'regions-root' && home) return home
    if (to.meta.feature && !auth.can(to.meta.feature)) return home ?? { name: 'regions-root' }
    return true
  })
  return router
}
