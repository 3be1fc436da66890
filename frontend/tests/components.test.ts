import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { Client, CombinedError, type Exchange, type Operation } from '@urql/core'
import urql from '@urql/vue'
import { fromValue, map, pipe, filter, mergeMap } from 'wonka'
import { makeI18n } from '@/i18n'
import QueryState from '@/components/QueryState.vue'
import { useLabels } from '@/composables/ui'
import ImportPage from '@/views/ImportPage.vue'

const i18n = () => makeI18n('zh-CN')

describe('QueryState', () => {
  const props = { fetching: false, error: null, empty: false }

  it('shows a skeleton while the first load runs', () => {
    const w = mount(QueryState, { props: { ...props, fetching: true, empty: true }, slots: { default: '<p id="c">content</p>' }, global: { plugins: [i18n()] } })
    expect(w.find('[data-test=loading]').exists()).toBe(true)
    expect(w.find('#c').exists()).toBe(false)
  })

  it('shows the empty text when there is nothing', () => {
    const w = mount(QueryState, { props: { ...props, empty: true, emptyText: '没有下级区划' }, global: { plugins: [i18n()] } })
    expect(w.find('[data-test=empty]').text()).toContain('没有下级区划')
  })

  it('shows the error with its message and a retry that asks again', async () => {
    const error = new CombinedError({ graphQLErrors: [{ message: 'region not found / 未找到地区', extensions: { code: 'NOT_FOUND' } }] })
    const w = mount(QueryState, { props: { ...props, error }, slots: { default: '<p id="c">content</p>' }, global: { plugins: [i18n()] } })
    const alert = w.find('[data-test=query-error]')
    expect(alert.text()).toContain('未找到')
    expect(alert.text()).toContain('未找到地区')
    expect(alert.text()).not.toContain('region not found')
    await alert.find('button').trigger('click')
    expect(w.emitted('retry')).toHaveLength(1)
    expect(w.find('#c').exists()).toBe(false)
  })

  it('shows the content otherwise, even while refreshing', () => {
    const w = mount(QueryState, { props: { ...props, fetching: true }, slots: { default: '<p id="c">content</p>' }, global: { plugins: [i18n()] } })
    expect(w.find('#c').exists()).toBe(true)
  })
})

describe('useLabels', () => {
  /** The labels of a component mounted in the language given. */
  function labels(locale: 'zh-CN' | 'en') {
    let l: ReturnType<typeof useLabels> | undefined
    mount(defineComponent({ setup: () => ((l = useLabels()), () => h('i')) }), { global: { plugins: [makeI18n(locale)] } }).unmount()
    return l!
  }

  it('writes a period, "present" in the user’s language without an end', () => {
    expect(labels('zh-CN').period('2021-03-01', '2024-02-29')).toBe('2021-03-01 – 2024-02-29')
    expect(labels('zh-CN').period('2021-03-01', null)).toBe('2021-03-01 – 至今')
    expect(labels('en').period('2021-03-01', null)).toBe('2021-03-01 – present')
  })

  it('lists agricultural fields by their labels, nothing without any', () => {
    expect(labels('zh-CN').fields(['VEGETABLES', 'FRUIT_TREES'])).toBe('蔬菜、果树')
    expect(labels('en').fields(['VEGETABLES', 'NOT_A_FIELD'])).toBe('Vegetables、NOT_A_FIELD')
    expect(labels('zh-CN').fields(null)).toBe('')
    expect(labels('zh-CN').fields([])).toBe('')
  })
})

describe('ImportPage', () => {
  const problem = (row: number, column: string, value: string, zh: string) => ({
    sheet: '人员', row, column, value, reason: `${zh} / reason`, reasonZh: zh, reasonEn: `reason ${row}`,
    kind: zh === '必填项为空' ? 'MISSING_VALUE' : 'UNKNOWN_WORD', read: '', cell: `${column === '姓名' ? 'B' : 'C'}${row}`,
  })
  const group = (kind: string, zh: string, en: string, rows: number[], count = rows.length) => ({
    __typename: 'RosterProblemGroup', kind, text: { zh, en }, count, sample: rows.map((row) => ({ sheet: '人员', row, cell: `C${row}` })),
  })

  /** An import job as the API answers it, at the given stage. */
  function jobAt(stage: 'QUEUED' | 'RUNNING' | 'DONE', dryRun: boolean, ok: boolean) {
    const done = stage === 'DONE'
    return {
      __typename: 'ImportJob',
      id: `job-${dryRun ? 'dry' : 'real'}`,
      status: done ? (ok ? 'SUCCEEDED' : 'REJECTED') : stage,
      dryRun,
      fileName: 'roster.xlsx',
      annotatedURL: done && !ok ? '/import-jobs/7/annotated.xlsx' : null,
      failureCode: null,
      statusMessage: null,
      attempts: stage === 'QUEUED' ? 0 : 1,
      progress: {
        __typename: 'ImportJobProgress',
        phase: done ? 'DONE' : stage === 'RUNNING' ? 'VALIDATING' : 'QUEUED',
        rowsDone: done ? 2 : stage === 'RUNNING' ? 1 : 0,
        rowsTotal: stage === 'QUEUED' ? 0 : 2,
      },
      report: done
        ? {
            __typename: 'RosterImportReport',
            dryRun,
            written: ok && !dryRun,
            ok,
            problems: ok ? [] : [problem(2, '性别', '男女', '不是允许的值'), problem(3, '姓名', '', '必填项为空')],
            groups: ok ? [] : [group('UNKNOWN_WORD', '不是允许的值', 'not an allowed word', [2, 4, 9], 30), group('MISSING_VALUE', '必填项为空', 'required value is empty', [3])],
            warningGroups: [],
            warnings: [],
            counts: [{ __typename: 'RosterSheetCount', sheet: '人员', rows: 2, created: 2, updated: 0, unchanged: 0 }],
          }
        : null,
    }
  }

  /**
   * A client whose importRoster answers with a queued job, and whose
   * importJob answers RUNNING, then the finished job (not before gate.open);
   * it records the operations.
   */
  function client(ok: boolean, seen: Operation[], gate = { open: true }) {
    let dryRun = true
    let polls = 0
    const exchange: Exchange = () => (ops$) =>
      pipe(
        ops$,
        filter((op) => op.kind !== 'teardown'),
        mergeMap((op) => {
          seen.push(op)
          let data: Record<string, unknown>
          if (op.kind === 'mutation') {
            dryRun = (op.variables as { dryRun: boolean }).dryRun
            polls = 0
            data = { importRoster: jobAt('QUEUED', dryRun, ok) }
          } else {
            data = { importJob: jobAt(++polls < 2 || !gate.open ? 'RUNNING' : 'DONE', dryRun, ok) }
          }
          return pipe(
            fromValue(op),
            map(() => ({ operation: op, data, stale: false, hasNext: false })),
          )
        }),
      )
    return new Client({ url: 'http://test/graphql', exchanges: [exchange] })
  }

  async function mountWith(ok: boolean, gate = { open: true }) {
    sessionStorage.clear()
    const seen: Operation[] = []
    const w = mount(ImportPage, {
      props: { pollInterval: 5 },
      global: { plugins: [createPinia(), i18n(), [urql, client(ok, seen, gate)]] },
      attachTo: document.body,
    })
    const input = w.find('[data-test=import-file]')
    const file = new File([new Uint8Array([80, 75, 3, 4])], 'roster.xlsx')
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    return { w, seen, file }
  }

  /** Waits until the page's job has finished. */
  async function finished(w: ReturnType<typeof mount>) {
    for (let i = 0; i < 100 && !w.find('[data-test=import-result]').exists(); i++) {
      await new Promise((r) => setTimeout(r, 5))
      await flushPromises()
    }
  }

  it('uploads the file as a multipart request, polls the job and lists every problem', async () => {
    const { w, seen, file } = await mountWith(false)
    await w.find('[data-test=import-dry-run]').trigger('click')
    await flushPromises()
    expect(seen[0].kind).toBe('mutation')
    expect(seen[0].variables).toEqual({ file, dryRun: true })
    const opts = seen[0].context.fetchOptions
    const headers = (typeof opts === 'function' ? opts() : opts)?.headers as Record<string, string>
    expect(headers['GraphQL-Require-Preflight']).toBe('1')
    // Queued, then running: the progress bar with the phase and the rows.
    expect(w.find('[data-test=import-status]').text()).toContain('排队中')
    expect(w.find('[data-test=import-progress]').exists()).toBe(true)
    await finished(w)
    const polls = seen.slice(1)
    expect(polls.length).toBeGreaterThanOrEqual(2)
    for (const op of polls) {
      expect(op.kind).toBe('query')
      expect(op.variables).toEqual({ id: 'job-dry' })
      expect(op.context.requestPolicy).toBe('network-only')
    }
    expect(w.find('[data-test=import-status]').text()).toContain('有错误')
    expect(w.find('[data-test=import-progress]').exists()).toBe(false)
    const rows = w.findAll('[data-test=import-problems] .el-table__row')
    expect(rows).toHaveLength(2)
    expect(rows[0].text()).toContain('男女')
    expect(rows[0].text()).toContain('不是允许的值')
    expect(rows[1].text()).toContain('必填项为空')
    expect(w.find('[data-test=import-commit]').attributes('disabled')).toBeDefined()
    w.unmount()
  })

  it('shows the problems grouped by kind first, and the annotated workbook to download', async () => {
    const { w } = await mountWith(false)
    await w.find('[data-test=import-dry-run]').trigger('click')
    await finished(w)
    const groups = w.findAll('[data-test=import-group]')
    expect(groups).toHaveLength(2)
    expect(groups[0].text()).toContain('不是允许的值')
    expect(groups[0].text()).toContain('×30')
    expect(groups[0].text()).toContain('人员 第2、4、9行…')
    expect(groups[1].text()).toContain('人员 第3行')
    expect(groups[1].text()).not.toContain('…')
    // The groups come before the rows.
    const html = w.html()
    expect(html.indexOf('data-test="import-groups"')).toBeLessThan(html.indexOf('data-test="import-problems"'))
    expect(w.find('[data-test=import-annotated]').exists()).toBe(true)
    expect(w.find('[data-test=import-problems] .el-table__row').text()).toContain('C2')
    w.unmount()
  })

  it('offers no annotated workbook when there is none', async () => {
    const { w } = await mountWith(true)
    await w.find('[data-test=import-dry-run]').trigger('click')
    await finished(w)
    expect(w.find('[data-test=import-groups]').exists()).toBe(false)
    expect(w.find('[data-test=import-annotated]').exists()).toBe(false)
    w.unmount()
  })

  it('shows the phase and rows while the job runs', async () => {
    // The job stays RUNNING until the gate opens: a busy machine cannot skip past it.
    const gate = { open: false }
    const { w } = await mountWith(true, gate)
    await w.find('[data-test=import-dry-run]').trigger('click')
    const phase = () => w.find('[data-test=import-phase]')
    for (let i = 0; i < 200 && !(phase().exists() && phase().text().includes('逐行检查')); i++) {
      await new Promise((r) => setTimeout(r, 5))
      await flushPromises()
    }
    expect(phase().text()).toContain('1 / 2 行')
    expect(w.find('[data-test=import-status]').text()).toContain('进行中')
    gate.open = true
    await finished(w)
    expect(w.find('[data-test=import-result]').exists()).toBe(true)
    w.unmount()
  })

  it('enables the import after a clean dry run, then writes', async () => {
    const { w, seen } = await mountWith(true)
    await w.find('[data-test=import-dry-run]').trigger('click')
    await finished(w)
    expect(w.find('[data-test=import-result]').text()).toContain('检查通过')
    const commit = w.find('[data-test=import-commit]')
    expect(commit.attributes('disabled')).toBeUndefined()
    await commit.trigger('click')
    await flushPromises()
    await finished(w)
    const uploads = seen.filter((o) => o.kind === 'mutation')
    expect(uploads.map((o) => (o.variables as { dryRun: boolean }).dryRun)).toEqual([true, false])
    expect(w.find('[data-test=import-result]').text()).toContain('已导入')
    expect(w.find('[data-test=import-status]').text()).toContain('已完成')
    w.unmount()
  })

  it('picks up the job it followed when the page is opened again', async () => {
    const { w } = await mountWith(false)
    await w.find('[data-test=import-dry-run]').trigger('click')
    await finished(w)
    w.unmount()
    const seen: Operation[] = []
    const again = mount(ImportPage, { props: { pollInterval: 5 }, global: { plugins: [createPinia(), i18n(), [urql, client(false, seen)]] }, attachTo: document.body })
    await finished(again)
    expect(seen[0].variables).toEqual({ id: 'job-dry' })
    expect(again.findAll('[data-test=import-problems] .el-table__row')).toHaveLength(2)
    again.unmount()
  })
})
