import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { Client, type Exchange, type Operation } from '@urql/core'
import urql from '@urql/vue'
import { fromValue, map, pipe, mergeMap } from 'wonka'
import { makeI18n } from '@/i18n'
import { learnTerms, placesLine, splitWords, termLabel, wordKey, type UnknownWordLike } from '@/lib/vocabulary'
import UnknownWords from '@/components/UnknownWords.vue'

const tea: UnknownWordLike = {
  vocabulary: 'AGRICULTURAL_FIELD', word: '茶叶', column: '专业领域', count: 7,
  places: [{ sheet: '人员', row: 3, cell: 'L3' }, { sheet: '人员', row: 9, cell: 'L9' }, { sheet: '需求清单', row: 2, cell: 'C2' }],
  suggestion: null,
}
const sage: UnknownWordLike = { vocabulary: 'PERSON_TAG', word: '乡贤', column: '标签', count: 1, places: [{ sheet: '人员', row: 4, cell: 'K4' }], suggestion: 'RETURNEE' }

describe('vocabulary labels', () => {
  it('knows an area\'s terms once learnt, in both languages, and nothing else', () => {
    expect(termLabel('PersonTag', 'XIANGXIAN', false)).toBeUndefined()
    learnTerms('PERSON_TAG', [{ code: 'XIANGXIAN', label: '乡贤', labelEn: '' }, { code: 'TEA_GROWER', label: '茶农', labelEn: 'Tea grower' }])
    expect(termLabel('PersonTag', 'XIANGXIAN', false)).toBe('乡贤')
    expect(termLabel('PersonTag', 'XIANGXIAN', true)).toBe('乡贤') // no English label: the Chinese one
    expect(termLabel('PersonTag', 'TEA_GROWER', true)).toBe('Tea grower')
    expect(termLabel('AgriculturalField', 'XIANGXIAN', false)).toBeUndefined() // another vocabulary
    learnTerms('PERSON_TAG', [{ code: 'TEA_GROWER', label: '茶农', labelEn: '' }])
    expect(termLabel('PersonTag', 'XIANGXIAN', false)).toBeUndefined() // replaced, not merged
  })

  it('splits synonyms as people type them', () => {
    expect(splitWords(' 茶、茶叶，茶园 ;茶 ')).toEqual(['茶', '茶叶', '茶园'])
    expect(splitWords('')).toEqual([])
  })

  it('says where a word is, sheet by sheet, and how many more', () => {
    expect(placesLine(tea)).toBe('人员!L3、L9、需求清单!C2 …（+4）')
    expect(placesLine(sage)).toBe('人员!K4')
    expect(placesLine(tea, 1)).toBe('人员!L3 …（+6）')
    expect(wordKey(tea)).not.toBe(wordKey({ ...tea, vocabulary: 'PERSON_TAG' }))
  })
})

describe('the vocabulary step of an import', () => {
  it('adds a word as a term or maps it, and rechecks only when every word is settled', async () => {
    setActivePinia(createPinia())
    const sent: Operation[] = []
    const exchange: Exchange = () => (ops$) =>
      pipe(ops$, mergeMap((op) => {
        sent.push(op)
        const term = (code: string, label: string) => ({ kind: op.variables?.kind ?? 'PERSON_TAG', code, label, labelEn: '', regionCode: '150221', national: false, words: [] })
        let data: unknown
        if (op.kind === 'query') data = { vocabulary: [term('RETURNEE', '返乡人员'), term('TEA', '茶叶')] }
        else if (op.query.definitions.some((d) => 'name' in d && d.name?.value === 'AddVocabularyTerm')) data = { addVocabularyTerm: term('CHAYE', (op.variables as { input: { label: string } }).input.label) }
        else data = { mapVocabularyWord: term((op.variables as { termCode: string }).termCode, '返乡人员') }
        return pipe(fromValue(data), map((d) => ({ operation: op, data: d, hasNext: false, stale: false })))
      }))
    const client = new Client({ url: 'http://test/graphql', exchanges: [exchange] })
    const w = mount(UnknownWords, {
      props: { words: [tea, sage] },
      global: { plugins: [makeI18n('zh-CN'), [urql, client]] },
    })
    await flushPromises()
    expect(w.findAll('[data-test=unknown-word]').map((e) => e.text())).toEqual(['茶叶', '乡贤'])
    const recheck = () => w.find('[data-test=unknown-recheck]')
    expect(recheck().attributes('disabled')).toBeDefined()
    await w.find('[data-test="unknown-add-茶叶"]').trigger('click')
    await flushPromises()
    const add = sent.find((op) => op.kind === 'mutation')!
    expect(add.variables).toEqual({ input: { kind: 'AGRICULTURAL_FIELD', label: '茶叶' } })
    expect(recheck().attributes('disabled')).toBeDefined() // 乡贤 is still open
    // 乡贤 comes with the server's suggestion chosen: one click maps it.
    const mapButton = w.findAll('button').find((b) => b.text() === '映射')!
    await mapButton.trigger('click')
    await flushPromises()
    const mapped = sent.filter((op) => op.kind === 'mutation')[1]
    expect(mapped.variables).toEqual({ kind: 'PERSON_TAG', word: '乡贤', termCode: 'RETURNEE' })
    expect(w.findAll('[data-test=unknown-word-done]').length).toBe(2)
    await recheck().trigger('click')
    expect(w.emitted('recheck')).toHaveLength(1)
  })
})
