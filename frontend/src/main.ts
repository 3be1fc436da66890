import { createApp } from 'vue'
import { createPinia } from 'pinia'
import urql from '@urql/vue'
import App from './App.vue'
import { makeI18n, saveLocale } from './i18n'
import { makeRouter } from './router'
import { createClient } from './urql'
import { restoreSession } from './session'
import { useAuthStore } from './stores/auth'
import { startOutbox } from './lib/outbox'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
const auth = useAuthStore(pinia)
let router: ReturnType<typeof makeRouter> | null = null
const client = createClient(() => {
  const here = router?.currentRoute.value
  if (here && !here.meta.public) router!.replace({ name: 'login', query: { redirect: here.fullPath } })
})
// The router waits for the session (who is signed in, whether accounts exist) before the first page.
router = makeRouter(pinia, restoreSession(client, auth))
const i18n = makeI18n()
saveLocale(i18n.global.locale.value)
app.use(i18n)
app.use(router)
app.use(urql, client)
app.mount('#app')
// Field entries kept offline are sent when the network is back (lib/outbox.ts).
startOutbox(() => auth.headers())
// Installed on a phone, the app opens without a network (public/sw.js): its
// shell only — answers with people's data are never kept.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js').catch(() => {}))
}
