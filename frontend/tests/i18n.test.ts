// Every message the code asks for exists, and every enum value the API
// can send has a label in both languages.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import zhCN from '@/locales/zh-CN'
import en from '@/locales/en'
import { enumLabels } from '@/locales/enums'

const src = join(__dirname, '../src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) return f === 'gql' ? [] : files(p)
    return /\.(vue|ts)$/.test(f) ? [p] : []
  })
}

function lookup(messages: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((m, k) => (m && typeof m === 'object' ? (m as Record<string, unknown>)[k] : undefined), messages)
}

function leaves(m: unknown, prefix = ''): string[] {
  if (typeof m === 'string') return [prefix]
  return Object.entries(m as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

describe('messages', () => {
  const used = new Set<string>()
  for (const f of files(src)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1])
  }

  it('finds the keys the code uses', () => {
    expect(used.size).toBeGreaterThan(100)
  })

  it.each([
    ['zh-CN', zhCN],
    ['en', en],
  ])('%s has every key the code uses', (_name, messages) => {
    const missing = [...used].filter((k) => typeof lookup(messages, k) !== 'string')
    expect(missing).toEqual([])
  })

  it('has the same keys in both languages', () => {
    expect(leaves(en).sort()).toEqual(leaves(zhCN).sort())
  })
})

describe('enum labels', () => {
  // The contract itself: enum blocks of schema.graphql, descriptions dropped.
  const schema = readFileSync(join(__dirname, '../../schema.graphql'), 'utf8').replace(/"""[\s\S]*?"""/g, '').replace(/"[^"\n]*"/g, '')
  const enums = new Map<string, string[]>()
  for (const m of schema.matchAll(/^enum (\w+) \{([^}]*)\}/gm)) {
    enums.set(m[1], m[2].split(/\s+/).filter((v) => /^[A-Z0-9_]+$/.test(v)))
  }
  // Vocabularies (PersonTag, AgriculturalField) are scalars carrying a code
  // since areas add terms: their national terms are the lists of
  // vocab/vocab.go, {"CODE", "中文", "English"} lines.
  const vocabSource = readFileSync(join(__dirname, '../../vocab/vocab.go'), 'utf8')
  for (const [name, list] of [['AgriculturalField', 'AgriculturalFields'], ['PersonTag', 'PersonTags']]) {
    const block = vocabSource.match(new RegExp(`var ${list} = \\[\\]Term\\{([\\s\\S]*?)\\n\\}`))
    if (block) enums.set(name, [...block[1].matchAll(/\{"([A-Z0-9_]+)",/g)].map((m) => m[1]))
  }
  const labelled = Object.keys(enumLabels)

  it('reads the national vocabularies', () => {
    expect(enums.get('PersonTag')).toContain('RETURNEE')
    expect(enums.get('AgriculturalField')).toContain('VEGETABLES')
  })

  it('reads the enums of the schema', () => {
    expect(enums.get('PostRole')).toContain('SECRETARY_AND_DIRECTOR')
  })

  it.each(labelled)('%s labels every value the API has', (name) => {
    const values = enums.get(name)
    expect(values, `${name} is not an enum of the schema`).toBeDefined()
    const missing = values!.filter((v) => !enumLabels[name][v])
    expect(missing).toEqual([])
  })

  it('labels the enums pages show', () => {
    for (const name of ['PostRole', 'AgriculturalField', 'AlertKind', 'ContactLogMode', 'DemandStatus', 'MentorshipProgram', 'ServiceRecordKind']) {
      expect(labelled).toContain(name)
    }
  })
})
