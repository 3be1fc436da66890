// What every page does with an API answer: the nodes of a Relay connection,
// and what to say about a failed request.
import type { CombinedError } from '@urql/core'

/** A Relay connection as the generated types have it: edges and nodes may be null. */
export interface ConnectionLike<T> {
  edges?: ReadonlyArray<{ node?: T | null } | null> | null
}

/** The node type of a connection type: NodeOf<PersonQuery['people']>. */
export type NodeOf<C> = NonNullable<C> extends { edges?: ReadonlyArray<{ node?: infer T | null } | null> | null } ? NonNullable<T> : never

/** The nodes of a connection, in order, without the null edges and null nodes; [] without a connection. */
export function nodes<T>(c: ConnectionLike<T> | null | undefined): T[] {
  return (c?.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []))
}

type MaybeError = CombinedError | null | undefined

/** The API's code of the first GraphQL error (extensions.code: NOT_FOUND, BAD_USER_INPUT …), '' without one. */
export function errorCode(error: MaybeError): string {
  const code = error?.graphQLErrors[0]?.extensions?.code
  return typeof code === 'string' ? code : ''
}

/** Whether any GraphQL error of the answer has this code. */
export function hasErrorCode(error: MaybeError, code: string): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === code)
}

/** The input field the first GraphQL error concerns (extensions.field, set with BAD_USER_INPUT and NOT_FOUND), '' without one. */
export function errorField(error: MaybeError): string {
  const field = error?.graphQLErrors[0]?.extensions?.field
  return typeof field === 'string' ? field : ''
}

/** The response path of the first GraphQL error ('region.children'), '' without one. */
export function errorPath(error: MaybeError): string {
  return error?.graphQLErrors[0]?.path?.join('.') ?? ''
}

/** Whether the page is in English (saveLocale keeps <html lang> in step with the chosen language). */
function pageInEnglish(): boolean {
  return typeof document !== 'undefined' && document.documentElement.lang === 'en'
}

/**
 * One of the API's messages in the UI language. The API writes "English /
 * 中文" and, on errors, extensions.text = {zh, en}. A trailing detail from a
 * library in ASCII ("不是有效的压缩包: zip: not a valid zip file") is dropped
 * from the Chinese side: it says nothing to a clerk.
 */
export function localizeMessage(message: string, text?: unknown, english = pageInEnglish()): string {
  if (text && typeof text === 'object' && typeof (text as { zh?: unknown }).zh === 'string') {
    const t = text as { zh: string; en: string }
    return english ? t.en : stripTechnical(t.zh)
  }
  const i = message.indexOf(' / ')
  if (i <= 0) return message
  const en = message.slice(0, i)
  const zh = message.slice(i + 3)
  if (!/[\u3400-\u9fff]/.test(zh)) return message
  return english ? en : stripTechnical(zh)
}

function stripTechnical(zh: string): string {
  const m = /^(.*[\u3400-\u9fff）)])[:：]\s*[\x20-\x7e]+$/.exec(zh)
  return m ? m[1] : zh
}

/** What each error code means to a user, when the API says nothing better (the i18n keys errors.*). */
export const errorCodes = ['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED', 'TOO_MANY_REQUESTS', 'INTERNAL', 'PERSISTED_QUERY_NOT_FOUND'] as const

/**
 * The message to show for a failed request, '' without an error: the first
 * GraphQL error's in the UI language (the API's messages are safe to show),
 * or `codeText(code)` when the error has no text of its own or is INTERNAL.
 * A network failure shows `networkText` when given (the user's language:
 * t('common.networkError')), urql's own message ("[Network] …") otherwise.
 */
export function errorMessage(error: MaybeError, networkText?: string, codeText?: (code: string) => string): string {
  if (!error) return ''
  const gql = error.graphQLErrors[0]
  if (gql) {
    const code = typeof gql.extensions?.code === 'string' ? gql.extensions.code : ''
    if (codeText && (code === 'INTERNAL' || !gql.message)) return codeText(code)
    return localizeMessage(gql.message, gql.extensions?.text)
  }
  return networkText !== undefined && error.networkError ? networkText : error.message
}

/**
 * The errors of a form's fields: extensions.field of each BAD_USER_INPUT,
 * NOT_FOUND or CONFLICT error → its message in the UI language. The field is
 * the input's (GraphQL) name: `input.startDate` and `startDate` both give
 * `startDate`.
 */
export function fieldErrors(error: MaybeError): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of error?.graphQLErrors ?? []) {
    const f = e.extensions?.field
    if (typeof f !== 'string' || !f) continue
    const key = f.split('.').pop()!
    out[key] ??= localizeMessage(e.message, e.extensions?.text)
  }
  return out
}
