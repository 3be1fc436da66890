// Vocabulary labels (标签 and 专业领域): the national terms have their labels
// in locales/enums.ts; the terms an area adds (乡贤, 茶叶 …) exist only on the
// server, so the app learns their labels from the vocabulary query and keeps
// them here, where useLabels() looks once the enum labels know nothing.
import { reactive } from 'vue'

export type VocabularyKind = 'PERSON_TAG' | 'AGRICULTURAL_FIELD'

/** The enum type names the app's labels use for each vocabulary. */
export const enumTypeOf: Record<VocabularyKind, string> = {
  PERSON_TAG: 'PersonTag',
  AGRICULTURAL_FIELD: 'AgriculturalField',
}

export interface TermLike {
  code: string
  label: string
  labelEn: string
}

/** Labels by enum type name and code: [Chinese, English]. */
const labels = reactive<Record<string, Record<string, readonly [string, string]>>>({})

/** Keeps the labels of a vocabulary's terms (replacing what was known of it). */
export function learnTerms(kind: VocabularyKind, terms: readonly TermLike[]) {
  const map: Record<string, readonly [string, string]> = {}
  for (const t of terms) map[t.code] = [t.label, t.labelEn || t.label]
  labels[enumTypeOf[kind]] = map
}

/** The label of a vocabulary code, or undefined when no loaded vocabulary has it. */
export function termLabel(type: string, code: string, english: boolean): string | undefined {
  const l = labels[type]?.[code]
  return l ? (english ? l[1] : l[0]) : undefined
}

/** Who owns a term, for display: the national list or an area's code. */
export function ownerOf(t: { national: boolean; regionCode: string }): string {
  return t.national ? '' : t.regionCode
}

/** The words (synonyms) of a term as one line. */
export function wordsLine(t: { words: readonly { word: string }[] }): string {
  return t.words.map((w) => w.word).join('、')
}

/** Splits what a user typed as several synonyms (、，,; and spaces). */
export function splitWords(s: string): string[] {
  return [...new Set(s.split(/[、，,;；\s]+/).map((w) => w.trim()).filter(Boolean))]
}

/** A word of an import report's vocabulary step (RosterUnknownWord). */
export interface UnknownWordLike {
  vocabulary: string
  word: string
  column: string
  count: number
  places: readonly { sheet: string; row: number; cell: string }[]
  suggestion?: string | null
}

/** The key of an unknown word: a word is unknown once per vocabulary. */
export function wordKey(w: { vocabulary: string; word: string }): string {
  return `${w.vocabulary}:${w.word}`
}

/** Where a word is written, as a clerk finds it: 人员!H3、H7 … (the first few, then how many more). */
export function placesLine(w: UnknownWordLike, shown = 5): string {
  const parts: string[] = []
  let sheet = ''
  for (const p of w.places.slice(0, shown)) {
    const at = p.cell || `${p.row}`
    parts.push(p.sheet !== sheet ? `${p.sheet}!${at}` : at)
    sheet = p.sheet
  }
  const more = w.count - Math.min(w.places.length, shown)
  return parts.join('、') + (more > 0 ? ` …（+${more}）` : '')
}
