// The GraphQL client: graphcache (Relay connections merged page by page),
// the bearer token on every request, documents sent by their hash, and
// UNAUTHENTICATED turned into a redirect to the sign-in page.
import { Client, fetchExchange, makeOperation, mapExchange, type CombinedError, type Exchange } from '@urql/core'
import { ref } from 'vue'
import { cacheExchange, type Cache } from '@urql/exchange-graphcache'
import { persistedExchange } from '@urql/exchange-persisted'
import { relayPagination } from '@urql/exchange-graphcache/extras'
import { graphqlURL } from './config'
import { hasErrorCode } from './lib/connection'
import { useAuthStore } from './stores/auth'

/** Types without an ID: graphcache stores them inside their parent. */
const embedded = [
  'LineageEntry', 'PipelineMentor', 'ReservePipeline', 'MatchCandidate', 'FieldGap', 'SupplyGaps',
  'ValueCount', 'LocalizedText', 'CommitteeStatistics', 'ReserveStatistics', 'AdviserStatistics',
  'ExpertStatistics', 'ContributionStatistics', 'RegionStatistics', 'Alert', 'AlertEdge',
  'AlertConnection', 'SearchHit', 'TimelineEntry', 'RosterProblem', 'RosterSheetCount',
  'RosterImportReport', 'ImportJobProgress', 'PageInfo', 'PersonContact', 'LoginPayload',
  ...['AdviserAppointment', 'ContactLog', 'Contribution', 'Demand', 'ExpertAssignment', 'Institution', 'Mentorship',
    'Person', 'Post', 'Region', 'ServiceRecord'].flatMap((n) => [`${n}Connection`, `${n}Edge`]),
  // The column mapping of a roster import (components/ColumnMapping.vue).
  'RosterUnknownColumn', 'RosterMissingColumn', 'RosterColumnMapping', 'RosterFormatSheet', 'RosterFormatColumn',
  // The vocabulary step of a roster import (components/UnknownWords.vue).
  'RosterReading', 'RosterUnknownWord', 'RosterProblemPlace', 'VocabularyWord',
  // The inbox (views/InboxPage.vue): recomputed for whoever asks.
  'Inbox', 'CandidacyConnection', 'CandidacyEdge', 'CandidacyStepConnection', 'CandidacyStepEdge', 'DutyItemConnection', 'DutyItemEdge',
]

export function isUnauthenticated(error: CombinedError | undefined): boolean {
  return hasErrorCode(error, 'UNAUTHENTICATED') ||
    error?.response?.status === 401
}

/**
 * The records a write touched that hold lists (a region's posts, a person's
 * mentorships …): every Region, Person, Institution and assignment the
 * answer names is dropped from the cache, so whatever shows them fetches
 * them again, and so are the root lists and figures.
 */
const holders = ['Region', 'Person', 'Institution', 'ExpertAssignment', 'AdviserAppointment', 'TrainingClass']
function forgetTouched(result: unknown, cache: Cache, seen = new Set<unknown>()) {
  if (!result || typeof result !== 'object' || seen.has(result)) return
  seen.add(result)
  const r = result as { __typename?: string; id?: string }
  if (r.__typename && r.id && holders.includes(r.__typename)) cache.invalidate({ __typename: r.__typename, id: r.id })
  for (const v of Object.values(result)) forgetTouched(v, cache, seen)
}
/** The root fields a record write may change. */
const rootLists = ['people', 'posts', 'mentorships', 'adviserAppointments', 'expertAssignments', 'serviceRecords', 'demands', 'contributions',
  'institutions', 'users', 'alerts', 'regionStatistics', 'postHolders', 'personTimeline', 'reservePipeline', 'inbox', 'search', 'supplyGaps', 'matchCandidates']
/** The mutations of the forms (api/forms.graphql, api/accounts.graphql). */
const recordWrites = ['createPost', 'updatePost', 'endPost', 'createPerson', 'updatePerson', 'createServiceRecord', 'deleteServiceRecord',
  'createMentorship', 'endMentorship', 'createAdviserAppointment', 'endAdviserAppointment', 'createDemand', 'closeDemand',
  'createUser', 'updateUser', 'createContribution', 'createInstitution', 'updateInstitution', 'createExpertAssignment', 'endExpertAssignment',
  // The records kept beside people and villages (api/records.graphql): each answer names its person, place or class.
  ...['Assessment', 'DutyItem', 'Reward', 'OfficeAudit', 'StarRating', 'Contribution', 'ExpertAgreement', 'SubsidyPayment', 'DoctorFarm',
    'ResidentTeam', 'ResidentArea', 'ResidentAssessment', 'TrainingEnrolment', 'Mentorship', 'AdviserAppointment', 'ExpertAssignment', 'Demand', 'TrainingClass'].flatMap((n) => [`create${n}`, `update${n}`]),
  'updateInstitution', 'endMentorship', 'endAdviserAppointment', 'endExpertAssignment', 'closeDemand']
/** The deletes of records (api/records.graphql): the record is dropped, and whatever showed it fetches again. */
const recordDeletes = ['Assessment', 'DutyItem', 'Reward', 'OfficeAudit', 'StarRating', 'Contribution', 'ExpertAgreement', 'SubsidyPayment',
  'DoctorFarm', 'ResidentTeam', 'ResidentArea', 'ResidentAssessment', 'TrainingEnrolment', 'ServiceRecord']

/** Drops every cached result of the root query fields named, so pages showing them refetch. */
function invalidateQueryFields(cache: Cache, names: string[]) {
  for (const f of cache.inspectFields('Query')) {
    if (names.includes(f.fieldName)) cache.invalidate('Query', f.fieldName, f.arguments ?? undefined)
  }
}

/**
 * Read your own writes behind several server processes with replicas
 * (docs/scaling.md): a mutation's answer names the primary's position after
 * it (Yanzhen-Read-After); sent back with the next requests, any process
 * answers them only from a replica that has replayed it, or the primary.
 * Kept a minute — far beyond any replica's lag — then dropped.
 */
export const readAfter = {
  value: '',
  at: 0,
  keepMs: 60_000,
  headers(now = Date.now()): Record<string, string> {
    return this.value && now - this.at < this.keepMs ? { 'Yanzhen-Read-After': this.value } : {}
  },
  async remember(response: Promise<Response>, now = () => Date.now()): Promise<Response> {
    const r = await response
    const v = r.headers.get('Yanzhen-Read-After')
    if (v) {
      this.value = v
      this.at = now()
    }
    return r
  },
}

/** The hash codegen gave a document (src/gql/persisted-documents.json holds its text). */
export function documentHash(document: unknown): string | undefined {
  return (document as { __meta__?: { hash?: string } } | null)?.__meta__?.hash
}

/**
 * Trusted documents (YANZHEN_TRUSTED_DOCUMENTS=only on the server): queries
 * and mutations carry only their document's hash (Automatic Persisted
 * Queries' extensions.persistedQuery), which the server looks up in the
 * manifest codegen wrote. By POST, like every request of the app (the
 * exchange would turn short queries into GETs). A document without a hash
 * goes as text.
 *
 * A server that does not know the hash answers PersistedQueryNotFound and
 * the exchange sends the operation again with its text. That text is urql's
 * print, not the manifest's (sorted, on one line), so it would not hash to
 * the key: the retry goes as text alone, which a server that takes text
 * accepts, instead of a text and hash the server would refuse as disagreeing.
 */
export function persistedDocuments(): Exchange[] {
  return [
    persistedExchange({
      enableForMutation: true,
      preferGetForPersistedQueries: false,
      generateHash: async (_, document) => documentHash(document),
    }),
    mapExchange({
      onOperation(operation) {
        if (!operation.extensions?.persistedQuery?.miss) return
        const { persistedQuery: _, ...extensions } = operation.extensions
        return makeOperation(operation.kind, { ...operation, extensions }, operation.context)
      },
    }),
  ]
}

/**
 * Counts the writes this tab made (mutations answered without error). The
 * lists (components/DataList.vue) read the API without the normalized cache,
 * page by page as asked, and fetch their page again when it moves: no list
 * shows what a write has changed.
 */
export const writes = ref(0)

/**
 * The client of the lists: no cache, so a page is the page asked for (the
 * main client's cache merges a connection's pages into one list), with the
 * same credentials and read-your-writes header.
 */
export function createListClient(): Client {
  const auth = useAuthStore()
  return new Client({
    url: graphqlURL(),
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers: { ...auth.headers(), ...readAfter.headers() } }),
    fetch: (input, init) => readAfter.remember(fetch(input, init)),
    exchanges: [...persistedDocuments(), fetchExchange],
  })
}

export function createClient(onUnauthenticated: () => void): Client {
  const auth = useAuthStore()
  /** Import jobs whose writing the cache has already been told about. */
  const written = new Set<string>()
  return new Client({
    url: graphqlURL(),
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { ...auth.headers(), ...readAfter.headers() } }),
    fetch: (input, init) => readAfter.remember(fetch(input, init)),
    exchanges: [
      mapExchange({
        onResult(result) {
          if (result.operation.kind === 'mutation' && !result.error) writes.value++
        },
        onError(error) {
          if (isUnauthenticated(error)) {
            auth.markUnauthenticated()
            onUnauthenticated()
          }
        },
      }),
      cacheExchange({
        keys: {
          ...Object.fromEntries(embedded.map((t) => [t, () => null])),
          // A term is one per vocabulary and code.
          VocabularyTerm: (d) => `${d.kind}:${d.code}`,
        },
        resolvers: {
          Query: {
            regions: relayPagination(),
            demands: relayPagination(),
            people: relayPagination(),
            institutions: relayPagination(),
            mentorships: relayPagination(),
            alerts: relayPagination(),
          },
          Region: { children: relayPagination(), posts: relayPagination() },
          Institution: { experts: relayPagination() },
        },
        updates: {
          Query: {
            importJob(result, _args, cache) {
              // A roster touches anything: once a job has written, forget
              // every root field (but the jobs themselves), once per job.
              const job = result.importJob as { id?: string; report?: { written?: boolean } | null } | null
              if (!job?.id || !job.report?.written || written.has(job.id)) return
              written.add(job.id)
              for (const f of cache.inspectFields('Query')) {
                if (f.fieldName !== 'importJob' && f.fieldName !== 'importJobs') cache.invalidate('Query', f.fieldName, f.arguments ?? undefined)
              }
            },
          },
          Mutation: {
            ...Object.fromEntries(
              recordWrites.map((name) => [
                name,
                (result: Record<string, unknown>, _args: unknown, cache: Cache) => {
                  forgetTouched(result[name], cache)
                  invalidateQueryFields(cache, rootLists)
                },
              ]),
            ),
            ...Object.fromEntries(
              recordDeletes.map((type) => [
                `delete${type}`,
                (_r: unknown, args: { id?: unknown }, cache: Cache) => {
                  cache.invalidate({ __typename: type, id: String(args.id) })
                  invalidateQueryFields(cache, rootLists)
                },
              ]),
            ),
            createContactLog(_r, args, cache) {
              const input = args.input as { appointmentID: string }
              cache.invalidate({ __typename: 'AdviserAppointment', id: input.appointmentID }, 'contactLogs')
              invalidateQueryFields(cache, ['alerts', 'regionStatistics'])
            },
            proposeCandidacy(_r, _args, cache) {
              invalidateQueryFields(cache, ['inbox', 'candidacies'])
            },
            takeCandidacyStep(_r, _args, cache) {
              invalidateQueryFields(cache, ['inbox', 'candidacies', 'alerts', 'regionStatistics'])
            },
            withdrawCandidacy(_r, _args, cache) {
              invalidateQueryFields(cache, ['inbox', 'candidacies'])
            },
            confirmMatch(_r, args, cache) {
              cache.invalidate({ __typename: 'Demand', id: args.demandID as string })
              invalidateQueryFields(cache, ['demands', 'matchCandidates', 'alerts', 'regionStatistics', 'supplyGaps'])
            },
          },
        },
      }),
      ...persistedDocuments(),
      fetchExchange,
    ],
  })
}

/** Fetch options for a multipart upload: the bearer token and the header that forces a CORS preflight. */
export function uploadFetchOptions(): RequestInit {
  const auth = useAuthStore()
  return { headers: { ...auth.headers(), 'GraphQL-Require-Preflight': '1' } }
}
