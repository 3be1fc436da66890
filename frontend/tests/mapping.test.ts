import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { Client, type Exchange } from '@urql/core'
import urql from '@urql/vue'
import { fromValue, map, pipe, mergeMap } from 'wonka'
import { makeI18n } from '@/i18n'
import { IGNORE, buildMapping, lineKey, optionsFor, stillMissing, type UnknownColumnLike } from '@/lib/mapping'
import ColumnMapping from '@/components/ColumnMapping.vue'
import { placesOf } from '@/lib/elsewhere'

const format = [
  {
    name: '人员', aliases: ['people'],
    columns: [
      { name: '人员编号', alias: 'person_no', required: false, synonyms: [] },
      { name: '姓名', alias: 'name', required: true, synonyms: [] },
      { name: '联系电话', alias: 'phone', required: false, synonyms: ['手机号码'] },
      { name: '性别', alias: 'gender', required: false, synonyms: [] },
    ],
  },
  { name: '任职', aliases: ['posts'], columns: [
    { name: '开始日期', alias: 'start_date', required: true, synonyms: [] },
    { name: '结束日期', alias: 'end_date', required: false, synonyms: [] },
  ] },
  { name: '机构', aliases: ['institutions'], columns: [] },
]
const phone: UnknownColumnLike = { sheet: '花名册', formatSheet: '人员', header: '本人手机', ambiguous: false, suggestions: ['联系电话', '性别'] }
const date: UnknownColumnLike = { sheet: '任职', formatSheet: '任职', header: '日期', ambiguous: true, suggestions: ['开始日期', '结束日期'] }
const stray: UnknownColumnLike = { sheet: 'Sheet3', formatSheet: '', header: '', ambiguous: false, suggestions: ['机构', '任职'] }

describe('column mapping', () => {
  it('offers the suggestions first, then the rest of the sheet, none twice', () => {
    const opts = optionsFor(phone, format)
    expect(opts.map((o) => o.value)).toEqual(['联系电话', '性别', '人员编号', '姓名'])
    expect(opts[0]).toMatchObject({ label: '联系电话 phone', suggested: true })
    expect(opts.find((o) => o.value === '姓名')).toMatchObject({ required: true, suggested: false })
  })
  it('offers only the candidates of an ambiguous header', () => {
    expect(optionsFor(date, format).map((o) => o.value)).toEqual(['开始日期', '结束日期'])
  })
  it('offers the format sheets for an unknown sheet, the free ones first', () => {
    expect(optionsFor(stray, format).map((o) => o.value)).toEqual(['任职', '机构', '人员'])
  })
  it('builds the mapping: chosen lines, ignored ones with no column, sheets first, the earlier mapping kept', () => {
    const choices = {
      [lineKey('花名册', '本人手机')]: '联系电话',
      [lineKey('任职', '日期')]: undefined, // no choice: left out
      [lineKey('Sheet3', '')]: '机构',
    }
    const earlier = [{ sheet: '花名册', header: '序号', column: '' }, { sheet: '花名册', header: '', column: '人员' }]
    expect(buildMapping(earlier, [phone, date, stray], choices)).toEqual([
      { sheet: '花名册', header: '', column: '人员' },
      { sheet: 'Sheet3', header: '', column: '机构' },
      { sheet: '花名册', header: '序号', column: '' },
      { sheet: '花名册', header: '本人手机', column: '联系电话' },
    ])
    const ignored = buildMapping([], [phone], { [lineKey('花名册', '本 人手机')]: IGNORE })
    expect(ignored).toEqual([{ sheet: '花名册', header: '本人手机', column: '' }])
    // A new choice for a header replaces the earlier one.
    expect(buildMapping([{ sheet: '花名册', header: '本人手机', column: '性别' }], [phone], { [lineKey('花名册', '本人手机')]: '联系电话' }))
      .toEqual([{ sheet: '花名册', header: '本人手机', column: '联系电话' }])
  })
  it('tells which required columns the choices still leave missing', () => {
    const missing = [{ sheet: '花名册', column: '姓名' }, { sheet: '任职', column: '开始日期' }]
    const named: UnknownColumnLike = { ...phone, header: '本人姓名' }
    expect(stillMissing(missing, [named, date], { [lineKey('花名册', '本人姓名')]: '姓名' })).toEqual([{ sheet: '任职', column: '开始日期' }])
  })

  it('renders the headers with their choices and emits the mapping to recheck with', async () => {
    const exchange: Exchange = () => (ops$) =>
      pipe(ops$, mergeMap((op) => pipe(fromValue({ rosterFormat: format }), map((data) => ({ operation: op, data, hasNext: false, stale: false })))))
    const client = new Client({ url: 'http://test/graphql', exchanges: [exchange] })
    const w = mount(ColumnMapping, {
      props: { unknownColumns: [phone, date], missingColumns: [], mapping: [] },
      global: { plugins: [makeI18n('zh-CN'), [urql, client]] },
    })
    await flushPromises()
    expect(w.findAll('[data-test=mapping-header]').map((h) => h.text())).toEqual(['本人手机', '日期'])
    const button = w.find('[data-test=mapping-recheck]')
    expect(button.attributes('disabled')).toBeDefined() // nothing chosen yet
    const select = w.findComponent({ name: 'ElSelect' })
    select.vm.$emit('update:modelValue', '联系电话')
    await flushPromises()
    await w.find('[data-test=mapping-recheck]').trigger('click')
    expect(w.emitted('recheck')?.[0]).toEqual([[{ sheet: '花名册', header: '本人手机', column: '联系电话' }]])
  })
})

describe('where else a person appears', () => {
  const r = (code: string, name: string) => ({ id: code, code, name, level: code.length === 12 ? 'VILLAGE' : 'TOWNSHIP' })
  it('lists each place once with what the person does there, current first', () => {
    const places = placesOf({
      posts: [
        { region: r('150221100201', '甲村'), startDate: '2018-01-01', endDate: '2020-12-31' },
        { region: r('150221100202', '乙村'), startDate: '2021-01-01', endDate: null },
      ],
      adviserAppointments: [{ village: r('150221100201', '甲村'), startDate: '2016-05-01', endDate: '2017-01-01' }],
      expertAssignments: [],
      mentorshipsAsMentor: [{ region: r('150221100202', '乙村'), startDate: '2022-01-01', status: 'ACTIVE' }, { region: null, startDate: '2022-01-01' }],
      mentorshipsAsMentee: [{ region: r('150221100', '萨拉齐镇'), startDate: '2019-01-01', status: 'COMPLETED' }],
    })
    expect(places.map((p) => [p.region.name, p.kinds.join('+'), p.current, p.since])).toEqual([
      ['乙村', 'post+mentor', true, '2021-01-01'],
      ['萨拉齐镇', 'mentee', false, '2019-01-01'],
      ['甲村', 'post+adviser', false, '2016-05-01'],
    ])
  })
})
