import { createApp } from 'vue'
import { createPinia } from 'pinia'
import urql from '@urql/vue'
import App from './App.vue'
import { makeI18n, saveLocale } from './i18n'
import { makeRouter } from './router'
import { createClient } from './urql'
import { restoreSession } from './session'
import { useAuthStore } from './stores/auth'
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
