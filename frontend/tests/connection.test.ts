import { describe, expect, expectTypeOf, it } from 'vitest'
import { CombinedError } from '@urql/core'
import { errorCode, errorField, errorMessage, errorPath, fieldErrors, hasErrorCode, localizeMessage, nodes, type NodeOf } from '@/lib/connection'
import type { InstitutionsQuery } from '@/gql/graphql'

describe('nodes of a connection', () => {
  it('gives the nodes in order', () => {
    expect(nodes({ edges: [{ node: { id: 'a' } }, { node: { id: 'b' } }] })).toEqual([{ id: 'a' }, { id: 'b' }])
  })
  it('skips null edges and null or missing nodes', () => {
    expect(nodes({ edges: [null, { node: null }, { node: { id: 'b' } }, {}] })).toEqual([{ id: 'b' }])
  })
  it('is empty without edges or without a connection', () => {
    expect(nodes({ edges: null })).toEqual([])
    expect(nodes({})).toEqual([])
    expect(nodes(null)).toEqual([])
    expect(nodes(undefined)).toEqual([])
  })
  it('is typed by the connection it is given', () => {
    type Institution = NodeOf<InstitutionsQuery['institutions']>
    expectTypeOf(nodes({} as InstitutionsQuery['institutions'])).toEqualTypeOf<Institution[]>()
    expectTypeOf<Institution['name']>().toEqualTypeOf<string>()
  })
})

describe('GraphQL errors', () => {
  const notFound = new CombinedError({
    graphQLErrors: [
      { message: 'region not found / 未找到地区', path: ['region', 'children'], extensions: { code: 'NOT_FOUND', field: 'code' } },
      { message: 'second', extensions: { code: 'UNAUTHENTICATED' } },
    ],
  })
  const bare = new CombinedError({ graphQLErrors: [{ message: 'no extensions / 无扩展' }] })
  const network = new CombinedError({ networkError: new Error('Failed to fetch') })

  it('shows the API message of the first error in the page language', () => {
    document.documentElement.lang = 'zh-CN'
    expect(errorMessage(notFound)).toBe('未找到地区')
    expect(errorMessage(notFound, '无法连接服务器')).toBe('未找到地区')
    expect(errorMessage(bare)).toBe('无扩展')
    document.documentElement.lang = 'en'
    expect(errorMessage(notFound)).toBe('region not found')
    document.documentElement.lang = 'zh-CN'
  })
  it('says a network failure in the words given, urql’s message otherwise', () => {
    expect(errorMessage(network, '无法连接服务器')).toBe('无法连接服务器')
    expect(errorMessage(network)).toBe('[Network] Failed to fetch')
  })
  it('says nothing without an error', () => {
    expect(errorMessage(null)).toBe('')
    expect(errorMessage(undefined, 'network')).toBe('')
  })
  it('reads the code, the field and the path of the first error', () => {
    expect(errorCode(notFound)).toBe('NOT_FOUND')
    expect(errorField(notFound)).toBe('code')
    expect(errorPath(notFound)).toBe('region.children')
  })
  it('reads nothing from errors without extensions, network errors and no error', () => {
    for (const e of [bare, network, null, undefined]) {
      expect(errorCode(e)).toBe('')
      expect(errorField(e)).toBe('')
      expect(errorPath(e)).toBe('')
    }
  })
  it('ignores a code or field that is not a string', () => {
    const odd = new CombinedError({ graphQLErrors: [{ message: 'x', extensions: { code: 404, field: ['a'] } }] })
    expect(errorCode(odd)).toBe('')
    expect(errorField(odd)).toBe('')
  })
  it('finds a code on any of the errors', () => {
    expect(hasErrorCode(notFound, 'UNAUTHENTICATED')).toBe(true)
    expect(hasErrorCode(notFound, 'FORBIDDEN')).toBe(false)
    expect(hasErrorCode(bare, 'NOT_FOUND')).toBe(false)
    expect(hasErrorCode(network, 'UNAUTHENTICATED')).toBe(false)
    expect(hasErrorCode(null, 'UNAUTHENTICATED')).toBe(false)
  })
})

describe('read your writes', async () => {
  const { readAfter } = await import('@/urql')
  it('sends back the position a mutation answered with, for a minute', async () => {
    readAfter.value = ''
    expect(readAfter.headers(0)).toEqual({})
    await readAfter.remember(Promise.resolve(new Response('{}', { headers: { 'Yanzhen-Read-After': '0/3000148' } })), () => 1000)
    expect(readAfter.headers(2000)).toEqual({ 'Yanzhen-Read-After': '0/3000148' })
    // An answer without it (a query) keeps the last position.
    await readAfter.remember(Promise.resolve(new Response('{}')), () => 3000)
    expect(readAfter.headers(4000)).toEqual({ 'Yanzhen-Read-After': '0/3000148' })
    expect(readAfter.headers(1000 + 60_000)).toEqual({})
  })
})

describe('messages in the UI language', () => {
  it('picks the side of an "English / 中文" message and drops a library detail from the Chinese', () => {
    const m = 'not a readable zip archive / 不是有效的压缩包: zip: not a valid zip file'
    expect(localizeMessage(m, undefined, false)).toBe('不是有效的压缩包')
    expect(localizeMessage(m, undefined, true)).toBe('not a readable zip archive')
    // A Chinese detail is kept: it tells where.
    expect(localizeMessage('row 3 / 第3行：日期有误', undefined, false)).toBe('第3行：日期有误')
    expect(localizeMessage('plain text', undefined, false)).toBe('plain text')
  })
  it('prefers extensions.text', () => {
    expect(localizeMessage('x / y', { zh: '中文', en: 'English' }, true)).toBe('English')
    expect(localizeMessage('x / y', { zh: '中文', en: 'English' }, false)).toBe('中文')
  })
  it('shows the meaning of INTERNAL, not its text', () => {
    const e = new CombinedError({ graphQLErrors: [{ message: 'internal error / 内部错误', extensions: { code: 'INTERNAL' } }] })
    expect(errorMessage(e, 'net', (c) => `code:${c}`)).toBe('code:INTERNAL')
  })
  it('maps each field error to its input field', () => {
    const e = new CombinedError({
      graphQLErrors: [
        { message: 'start after end / 开始日期晚于结束日期', extensions: { code: 'BAD_USER_INPUT', field: 'input.startDate' } },
        { message: 'who / 人员不存在', extensions: { code: 'NOT_FOUND', field: 'personID', text: { zh: '人员不存在', en: 'no such person' } } },
        { message: 'no field', extensions: { code: 'FORBIDDEN' } },
      ],
    })
    document.documentElement.lang = 'zh-CN'
    expect(fieldErrors(e)).toEqual({ startDate: '开始日期晚于结束日期', personID: '人员不存在' })
  })
})
