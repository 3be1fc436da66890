// @vitest-environment node
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// The API contract check (scripts/check-schema.mjs, a plain Node script run by
// scripts/test-frontend.sh) against the real schemas: deliberate breaking edits
// of schema.graphql must fail it, additive ones and the removal of what the
// released schema deprecated must pass.

interface Change {
  type: string
  description: string
  text: string
  coordinate?: string
  side?: 'released' | 'current'
  line?: number
  hint?: string
  deprecationReason?: string
}
interface Comparison {
  breaking: Change[]
  dangerous: Change[]
  allowed: Change[]
}
interface CheckSchema {
  compareSchemas(releasedSDL: string, currentSDL: string): Comparison
  formatChange(kind: string, change: Change, files?: { released?: string; current?: string }): string
}

const root = join(__dirname, '../..')
const script = join(__dirname, '../scripts/check-schema.mjs')
const { compareSchemas, formatChange } = (await import(pathToFileURL(script).href)) as CheckSchema

const releasedSDL = readFileSync(join(root, 'docs/api/released.graphql'), 'utf8')
const currentSDL = readFileSync(join(root, 'schema.graphql'), 'utf8')

const tmp = mkdtempSync(join(tmpdir(), 'check-schema-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function run(files: { released?: string; current?: string }) {
  const args = [script]
  for (const [flag, sdl] of Object.entries(files)) {
    const file = join(tmp, `${flag}-${Math.random().toString(36).slice(2)}.graphql`)
    writeFileSync(file, sdl ?? '')
    args.push(`--${flag}`, file)
  }
  return spawnSync(process.execPath, args, { encoding: 'utf8' })
}

// Edits of the real SDL (as `go run ./server schema` prints it: one definition
// per block, fields indented by a tab). Each throws when it finds nothing to
// edit, so a test cannot pass on an unchanged schema.
function block(sdl: string, kind: string, name: string) {
  const head = new RegExp(`^${kind} ${name}\\b[^{\\n]*\\{$`, 'm').exec(sdl)
  if (!head) throw new Error(`${kind} ${name} not found`)
  const start = head.index + head[0].length
  return { start, end: sdl.indexOf('\n}', start) }
}

function editLine(sdl: string, kind: string, name: string, line: RegExp, edit: (l: string) => string | null) {
  const { start, end } = block(sdl, kind, name)
  const lines = sdl.slice(start, end).split('\n')
  const i = lines.findIndex((l) => line.test(l))
  if (i < 0) throw new Error(`${line} not found in ${kind} ${name}`)
  const edited = edit(lines[i])
  if (edited === null) {
    // Remove the line with its description, if it has one.
    let from = i
    if (/^\t"""$/.test(lines[i - 1] ?? '')) {
      from = i - 2
      while (from > 0 && lines[from] !== '\t"""') from--
    } else if (/^\t""".*"""$/.test(lines[i - 1] ?? '')) from = i - 1
    lines.splice(from, i - from + 1)
  } else lines[i] = edited
  return sdl.slice(0, start) + lines.join('\n') + sdl.slice(end)
}

const field = (name: string) => new RegExp(`^\\t${name}[:(]`)
const removeField = (sdl: string, type: string, name: string, kind = 'type') => editLine(sdl, kind, type, field(name), () => null)
const changeField = (sdl: string, type: string, name: string, to: string, kind = 'type') =>
  editLine(sdl, kind, type, field(name), () => `\t${to}`)
const removeEnumValue = (sdl: string, type: string, value: string) => editLine(sdl, 'enum', type, new RegExp(`^\\t${value}\\b`), () => null)
const addEnumValue = (sdl: string, type: string, value: string) => {
  const { end } = block(sdl, 'enum', type)
  return `${sdl.slice(0, end)}\n\t${value}${sdl.slice(end)}`
}
const addField = (sdl: string, type: string, line: string, kind = 'type') => {
  const { end } = block(sdl, kind, type)
  return `${sdl.slice(0, end)}\n\t${line}${sdl.slice(end)}`
}
const deprecate = (sdl: string, type: string, name: string, reason: string) =>
  editLine(sdl, 'type', type, field(name), (l) => `${l} @deprecated(reason: "${reason}")`)

const summary = (c: Comparison) => ({
  breaking: c.breaking.map((b) => `${b.type} ${b.coordinate}`),
  allowed: c.allowed.map((a) => `${a.type} ${a.coordinate}`),
})

describe('the committed schema keeps the released contract', () => {
  it('schema.graphql has no breaking change against docs/api/released.graphql', () => {
    const c = compareSchemas(releasedSDL, currentSDL)
    expect(c.breaking.map((b) => formatChange('BREAKING', b))).toEqual([])
  })

  it('the check exits 0 with its defaults and prints a summary', () => {
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', cwd: tmpdir() })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^schema contract: 0 breaking, \d+ dangerous changes? against docs\/api\/released\.graphql$/m)
  })

  it('the edits of these tests read the real schema', () => {
    expect(block(currentSDL, 'type', 'Person').end).toBeGreaterThan(0)
    expect(() => removeField(currentSDL, 'Person', 'noSuchField')).toThrow(/not found/)
  })
})

describe('a breaking change on purpose fails the check', () => {
  it('removing a field (Person.name)', () => {
    const c = compareSchemas(currentSDL, removeField(currentSDL, 'Person', 'name'))
    expect(summary(c)).toEqual({ breaking: ['FIELD_REMOVED Person.name'], allowed: [] })
    expect(formatChange('BREAKING', c.breaking[0], { released: 'docs/api/released.graphql' })).toMatch(
      /^BREAKING FIELD_REMOVED: Person\.name was removed \(deprecate it first: @deprecated\(reason: "…"\).*\) \[docs\/api\/released\.graphql:\d+\]$/,
    )
  })

  it('the script exits 1 and names the removed field', () => {
    const r = run({ current: removeField(currentSDL, 'Person', 'name') })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^BREAKING FIELD_REMOVED: Person\.name was removed \(deprecate it first/m)
    expect(r.stderr).toMatch(/^schema contract: 1 breaking, \d+ dangerous changes? against docs\/api\/released\.graphql$/m)
  })

  it("changing a field's type", () => {
    const toString = compareSchemas(currentSDL, changeField(currentSDL, 'Person', 'birthDate', 'birthDate: String'))
    expect(summary(toString).breaking).toEqual(['FIELD_CHANGED_KIND Person.birthDate'])
    const nullable = compareSchemas(currentSDL, changeField(currentSDL, 'Person', 'name', 'name: String'))
    expect(summary(nullable).breaking).toEqual(['FIELD_CHANGED_KIND Person.name'])
    expect(nullable.breaking[0].text).toBe('Person.name changed type from String! to String')
  })

  it('adding a required argument to a field', () => {
    const c = compareSchemas(currentSDL, changeField(currentSDL, 'Person', 'name', 'name(style: String!): String!'))
    expect(summary(c).breaking).toEqual(['REQUIRED_ARG_ADDED Person.name(style:)'])
  })

  it('adding a required input field', () => {
    const c = compareSchemas(currentSDL, addField(currentSDL, 'CreatePersonInput', 'nickname: String!', 'input'))
    expect(summary(c).breaking).toEqual(['REQUIRED_INPUT_FIELD_ADDED CreatePersonInput.nickname'])
  })

  it('removing an enum value', () => {
    const c = compareSchemas(currentSDL, removeEnumValue(currentSDL, 'PersonGender', 'FEMALE'))
    expect(summary(c)).toEqual({ breaking: ['VALUE_REMOVED_FROM_ENUM PersonGender.FEMALE'], allowed: [] })
  })

  it('several at once: each is reported on its own line, and the exit code is 1', () => {
    let sdl = removeField(currentSDL, 'Person', 'name')
    sdl = removeEnumValue(sdl, 'PersonGender', 'FEMALE')
    sdl = changeField(sdl, 'Person', 'birthDate', 'birthDate: String')
    const r = run({ current: sdl })
    expect(r.status).toBe(1)
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('BREAKING '))
    expect(lines).toHaveLength(3)
    expect(r.stderr).toContain('BREAKING VALUE_REMOVED_FROM_ENUM: FEMALE was removed from enum type PersonGender')
  })
})

describe('the deprecation policy: what the released schema deprecated may be removed', () => {
  const released = `
    enum Color { RED GREEN @deprecated(reason: "use RED") BLUE }
    input Filter { q: String old: Int @deprecated(reason: "not read") }
    type Query {
      colors(filter: Filter, legacy: Boolean @deprecated(reason: "ignored")): [Color!]!
      oldName: String @deprecated(reason: "use name")
      name: String
      count: Int
    }`
  const removed = `
    enum Color { RED BLUE }
    input Filter { q: String }
    type Query {
      colors(filter: Filter): [Color!]!
      name: String
      count: Int
    }`

  it('removing a deprecated field, argument, input field and enum value is allowed', () => {
    const c = compareSchemas(released, removed)
    expect(c.breaking).toEqual([])
    expect(summary(c).allowed.sort()).toEqual([
      'ARG_REMOVED Query.colors(legacy:)',
      'FIELD_REMOVED Filter.old',
      'FIELD_REMOVED Query.oldName',
      'VALUE_REMOVED_FROM_ENUM Color.GREEN',
    ])
    expect(c.allowed.find((a) => a.coordinate === 'Query.oldName')?.deprecationReason).toBe('use name')
  })

  it('a built-in scalar dropped with the last deprecated field that used it is allowed too', () => {
    const c = compareSchemas('type Query { a: String, b: Float @deprecated(reason: "use a") }', 'type Query { a: String }')
    expect(c.breaking).toEqual([])
    expect(summary(c).allowed.sort()).toEqual(['FIELD_REMOVED Query.b', 'TYPE_REMOVED Float'])
    const undeprecated = compareSchemas('type Query { a: String, b: Float }', 'type Query { a: String }')
    expect(summary(undeprecated).breaking).toEqual(['FIELD_REMOVED Query.b'])
  })

  it('but not when the deprecation is only in the new schema (deprecate and remove in one go)', () => {
    const undeprecated = released.replace(/ @deprecated\(reason: "[^"]*"\)/g, '')
    const c = compareSchemas(undeprecated, removed)
    expect(c.allowed).toEqual([])
    expect(summary(c).breaking.sort()).toEqual([
      'ARG_REMOVED Query.colors(legacy:)',
      'FIELD_REMOVED Filter.old',
      'FIELD_REMOVED Query.oldName',
      'VALUE_REMOVED_FROM_ENUM Color.GREEN',
    ])
  })

  it('nor a change of type of a deprecated field: only removal is allowed', () => {
    const c = compareSchemas(released, released.replace('oldName: String @deprecated', 'oldName: Int @deprecated'))
    expect(summary(c).breaking).toEqual(['FIELD_CHANGED_KIND Query.oldName'])
  })

  it('on the real schema: Person.ethnicity deprecated in a release, removed in the next', () => {
    const deprecated = deprecate(currentSDL, 'Person', 'ethnicity', 'use ethnicityCode')
    expect(compareSchemas(currentSDL, deprecated).breaking).toEqual([])
    const c = compareSchemas(deprecated, removeField(currentSDL, 'Person', 'ethnicity'))
    expect(summary(c)).toEqual({ breaking: [], allowed: ['FIELD_REMOVED Person.ethnicity'] })

    const r = run({ released: deprecated, current: removeField(currentSDL, 'Person', 'ethnicity') })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^ALLOWED FIELD_REMOVED: Person\.ethnicity was removed \(deprecated in the released schema: "use ethnicityCode"\)/m)
    expect(r.stdout).toMatch(/^schema contract: 0 breaking, 1 deprecated removal, \d+ dangerous changes? against /m)
  })
})

describe('additive changes are not breaking', () => {
  it('adding a field', () => {
    const c = compareSchemas(currentSDL, addField(currentSDL, 'Person', 'nickname: String'))
    expect(c).toEqual({ breaking: [], dangerous: [], allowed: [] })
  })

  it('adding an optional argument is only a warning', () => {
    const c = compareSchemas(currentSDL, changeField(currentSDL, 'Person', 'name', 'name(style: String): String!'))
    expect(c.breaking).toEqual([])
    expect(c.dangerous.map((d) => `${d.type} ${d.coordinate}`)).toEqual(['OPTIONAL_ARG_ADDED Person.name(style:)'])
  })

  it('adding an enum value or an optional input field: warnings, exit 0', () => {
    let sdl = addEnumValue(currentSDL, 'PersonGender', 'OTHER')
    sdl = addField(sdl, 'CreatePersonInput', 'nickname: String', 'input')
    const r = run({ released: currentSDL, current: sdl })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('WARNING VALUE_ADDED_TO_ENUM: OTHER was added to enum type PersonGender')
    expect(r.stdout).toContain('WARNING OPTIONAL_INPUT_FIELD_ADDED: An optional field nickname on input type CreatePersonInput was added')
    expect(r.stdout).toMatch(/^schema contract: 0 breaking, 2 dangerous changes against /m)
  })

  it('a schema that does not parse is an error (exit 2), not a pass', () => {
    const r = run({ current: 'type Query {' })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^check-schema: Syntax Error/)
  })
})
