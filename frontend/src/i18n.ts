// Languages: Chinese (default) and English. Element Plus and ECharts follow
// the chosen one (see App.vue and components/Chart.vue).
import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN'
import en from './locales/en'

export type Locale = 'zh-CN' | 'en'
const LOCALE_KEY = 'yanzhen.locale'

export function savedLocale(): Locale {
  try {
    return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export function saveLocale(l: Locale) {
  try {
    localStorage.setItem(LOCALE_KEY, l)
  } catch {
    /* not kept */
  }
  document.documentElement.lang = l
}

export function makeI18n(locale: Locale = savedLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN, en },
  })
}
