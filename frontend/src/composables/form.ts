// What every form does with a save: the server's field errors shown at
// their fields, its other errors above the buttons in the UI language, and
// the draft kept (in this tab's session storage) until a save succeeds.
import { reactive, ref, watch, type UnwrapRef } from 'vue'
import type { CombinedError, OperationResult } from '@urql/core'
import { fieldErrors } from '@/lib/connection'
import { useApiError } from './ui'

/** draftKey null: no draft is kept (passwords). */
export function useSaveForm<T extends object>(draftKey: string | null, blank: () => T) {
  const apiError = useApiError()
  const storageKey = draftKey ? `yanzhen.draft.${draftKey}` : ''
  const model = reactive((storageKey && readDraft<T>(storageKey)) || blank()) as UnwrapRef<T>
  const errors = reactive<Record<string, string>>({})
  const message = ref('')
  const saving = ref(false)

  if (storageKey) watch(() => model as unknown, (m) => writeDraft(storageKey, m), { deep: true })

  function clearErrors() {
    for (const k of Object.keys(errors)) delete errors[k]
    message.value = ''
  }
  /** Starts over from these values (or the blank form), forgetting the draft. */
  function reset(values?: Partial<T>) {
    clearErrors()
    Object.assign(model as object, blank(), values ?? {})
  }
  /**
   * Runs the save; on failure keeps the draft and shows the errors (field
   * errors at their fields, the message when no field claims it) and
   * returns null.
   */
  async function save<R>(run: () => Promise<Pick<OperationResult<R>, 'data' | 'error'>>): Promise<R | null> {
    clearErrors()
    saving.value = true
    try {
      const r = await run()
      if (r.error || !r.data) {
        showError(r.error)
        return null
      }
      forget()
      return r.data
    } finally {
      saving.value = false
    }
  }
  function showError(error: CombinedError | undefined) {
    const fields = fieldErrors(error)
    Object.assign(errors, fields)
    const first = error?.graphQLErrors[0]
    const claimed = typeof first?.extensions?.field === 'string' && first.extensions.field !== ''
    message.value = claimed && Object.keys(fields).length ? '' : apiError(error) || 'error'
  }
  function forget() {
    if (!storageKey) return
    try {
      sessionStorage.removeItem(storageKey)
    } catch {
      /* nothing kept */
    }
  }
  return { model, errors, message, saving, save, reset, clearErrors, forget }
}

function readDraft<T>(key: string): T | null {
  try {
    const v = sessionStorage.getItem(key)
    return v ? (JSON.parse(v) as T) : null
  } catch {
    return null
  }
}

function writeDraft(key: string, value: unknown) {
  try {
    sessionStorage.setItem(key, JSON.stringify(value))
  } catch {
    /* not kept */
  }
}
