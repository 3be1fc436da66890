import { computed, onBeforeUnmount, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { period as periodText } from '@/lib/dates'
import { termLabel } from '@/lib/vocabulary'
import { errorMessage } from '@/lib/connection'

/** Whether the viewport is phone-sized (below 768 px). */
export function useIsMobile() {
  const mq = window.matchMedia('(max-width: 767px)')
  const mobile = ref(mq.matches)
  const on = (e: MediaQueryListEvent) => (mobile.value = e.matches)
  mq.addEventListener('change', on)
  onBeforeUnmount(() => mq.removeEventListener('change', on))
  return mobile
}

/** Labels of API enum codes in the current language; the code itself when unknown. */
export function useLabels() {
  const { t, te, locale } = useI18n()
  function label(type: string, code: string | null | undefined): string {
    if (code === null || code === undefined || code === '') return '—'
    const key = `enums.${type}.${code}`
    if (te(key)) return t(key)
    // An area's own term (乡贤, 茶叶): its label from the vocabulary.
    return termLabel(type, code, isEnglish.value) ?? code
  }
  const isEnglish = computed(() => locale.value === 'en')
  /** A LocalizedText in the current language. */
  function text(v: { zh: string; en: string } | null | undefined): string {
    if (!v) return ''
    return isEnglish.value ? v.en : v.zh
  }
  function yuan(n: number | null | undefined): string {
    if (n === null || n === undefined) return '—'
    return new Intl.NumberFormat(locale.value, { style: 'currency', currency: 'CNY', maximumFractionDigits: 0 }).format(n)
  }
  function percent(x: number | null | undefined): string {
    if (x === null || x === undefined || Number.isNaN(x)) return '—'
    return new Intl.NumberFormat(locale.value, { style: 'percent', maximumFractionDigits: 1 }).format(x)
  }
  /** Agricultural fields (AgriculturalField codes) as one line of labels, '' without any. */
  function fields(codes: readonly string[] | null | undefined): string {
    return (codes ?? []).map((f) => label('AgriculturalField', f)).join('、')
  }
  /** A period whose missing end reads "present" (至今). */
  function period(start: string, end: string | null | undefined): string {
    return periodText(start, end, t('common.present'))
  }
  return { label, text, yuan, percent, fields, period, isEnglish }
}

export { regionRoute } from '@/lib/regions'

/**
 * The message of a failed request in the UI language: the API's own text
 * (extensions.text), the meaning of its code when it has none (errors.*),
 * the network's failure in words.
 */
export function useApiError() {
  const { t, te } = useI18n()
  return (error: Parameters<typeof errorMessage>[0]) =>
    errorMessage(error, t('common.networkError'), (code) => (te(`errors.${code}`) ? t(`errors.${code}`) : t('errors.INTERNAL')))
}
