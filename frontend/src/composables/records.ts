// One record form per page: the page asks to create, edit or end a record
// of a kind and gets the form (components/forms/RecordEditor.vue shows it);
// a delete is asked for by RowActions' confirmation. After every write the page's onSaved runs (a
// refetch), besides the cache updates of urql.ts.
import { reactive } from 'vue'
import { useI18n } from 'vue-i18n'
import { useClientHandle } from '@urql/vue'
import { recordKinds, type RecordKind, type RecordKindID, type Values } from '@/lib/records'
import { useApiError } from './ui'
import { useAuthStore } from '@/stores/auth'
import type { Choice } from '@/components/forms/RecordForm.vue'

export interface RecordFormState {
  open: boolean
  key: number
  kind: RecordKindID
  mode: 'create' | 'edit' | 'end'
  row: Record<string, unknown> | null
  fixed: Values
  defaults: Values
  choices: Record<string, Choice[]>
  title: string
}

export interface RecordOptions {
  fixed?: Values
  defaults?: Values
  choices?: Record<string, Choice[]>
}

export function useRecordEditor(onSaved: () => void) {
  const { t } = useI18n()
  const apiError = useApiError()
  const handle = useClientHandle()
  const state = reactive<RecordFormState>({ open: false, key: 0, kind: 'assessment', mode: 'create', row: null, fixed: {}, defaults: {}, choices: {}, title: '' })

  function show(kind: RecordKindID, mode: RecordFormState['mode'], title: string, row: Record<string, unknown> | null, o: RecordOptions) {
    Object.assign(state, { kind, mode, title, row, fixed: o.fixed ?? {}, defaults: o.defaults ?? {}, choices: o.choices ?? {}, open: true, key: state.key + 1 })
  }
  const kindTitle = (kind: RecordKindID) => t(`records.kinds.${kind}`)
  const auth = useAuthStore()
  return {
    state,
    onSaved,
    /** Whether the user may write this kind of record (the server's rule, lib/writers.ts). */
    may: (kind: RecordKindID) => auth.canWrite(recordKinds[kind].type),
    create: (kind: RecordKindID, o: RecordOptions = {}) => show(kind, 'create', t('records.add', { kind: kindTitle(kind) }), null, o),
    edit: (kind: RecordKindID, row: Record<string, unknown>, o: RecordOptions = {}) => show(kind, 'edit', t('records.edit', { kind: kindTitle(kind) }), row, o),
    end: (kind: RecordKindID, row: Record<string, unknown>, o: RecordOptions = {}) => show(kind, 'end', t(`records.endTitle.${kind}`), row, o),
    async remove(kind: RecordKindID, id: string) {
      const k = recordKinds[kind] as RecordKind
      if (!k.remove) return
      const r = await handle.client.mutation(k.remove, { id }).toPromise()
      if (r.error) {
        ElMessage.error(apiError(r.error))
        return
      }
      ElMessage.success(t('records.removed'))
      onSaved()
    },
  }
}

export type RecordEditor = ReturnType<typeof useRecordEditor>
