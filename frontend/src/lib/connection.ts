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

/**
 * The message to show for a failed request, '' without an error. The API's
 * messages are safe to show and carry both languages ("… / …"), so the first
 * GraphQL error's is shown as it is. A network failure shows `networkText`
 * when given (the user's language: t('common.networkError')), urql's own
 * message ("[Network] …") otherwise.
 */
export function errorMessage(error: MaybeError, networkText?: string): string {
  if (!error) return ''
  const gql = error.graphQLErrors[0]
  if (gql) return gql.message
  return networkText !== undefined && error.networkError ? networkText : error.message
}
