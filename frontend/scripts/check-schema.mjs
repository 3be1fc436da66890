// The API contract check: compares the public schema (schema.graphql, written
// by `go generate ./...`) with the last released one (docs/api/released.graphql,
// copied on release) and fails on a breaking change, unless it removes a field,
// argument, input field or enum value the released schema already marked
// @deprecated(reason: …) — deprecate in one release, remove in a later one.
// Dangerous changes (an enum value or optional argument added, a default
// changed …) are printed as warnings. Policy and release steps: docs/api/CHANGELOG.md.
//
//   node scripts/check-schema.mjs [--released FILE] [--current FILE]
//
// Defaults are found from this file, not the working directory. Exit codes:
// 0 contract kept, 1 breaking change, 2 usage or unreadable/invalid schema.
import { readFileSync, realpathSync } from 'node:fs'
import { relative, resolve, isAbsolute } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSchema, findBreakingChanges, findDangerousChanges, getLocation, isSpecifiedScalarType } from 'graphql'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const defaultReleased = resolve(repoRoot, 'docs/api/released.graphql')
export const defaultCurrent = resolve(repoRoot, 'schema.graphql')

// Removals the deprecation policy lets through once the released schema
// marked the removed thing @deprecated.
const REMOVALS = new Set(['FIELD_REMOVED', 'ARG_REMOVED', 'VALUE_REMOVED_FROM_ENUM'])

const DEPRECATE_FIRST = 'deprecate it first: @deprecated(reason: "…"), release, then remove it'
const HINTS = {
  TYPE_REMOVED: 'a type cannot be deprecated: deprecate the fields and arguments that use it, and keep it until a breaking release',
  TYPE_CHANGED_KIND: 'add a new type under another name and deprecate the uses of this one',
  FIELD_REMOVED: DEPRECATE_FIRST,
  FIELD_CHANGED_KIND: 'add a field with the new type under another name and deprecate this one',
  ARG_REMOVED: DEPRECATE_FIRST,
  ARG_CHANGED_KIND: 'add an argument with the new type under another name and deprecate this one',
  REQUIRED_ARG_ADDED: 'make the new argument optional: nullable, or with a default value',
  REQUIRED_INPUT_FIELD_ADDED: 'make the new input field optional: nullable, or with a default value',
  VALUE_REMOVED_FROM_ENUM: DEPRECATE_FIRST,
  TYPE_REMOVED_FROM_UNION: 'keep the member in the union until a breaking release',
  IMPLEMENTED_INTERFACE_REMOVED: 'keep implementing the interface until a breaking release',
}

// Where each change is, read from graphql-js's description (graphql 16): the
// schema coordinate and whether it is found in the released ('old') or the
// current ('new') schema.
const N = '([_A-Za-z][_0-9A-Za-z]*)'
const WHERE = [
  [new RegExp(`^${N}\\.${N} arg ${N} `), (t, f, a) => ({ type: t, field: f, arg: a })],
  [new RegExp(`^A required arg ${N} on ${N}\\.${N} `), (a, t, f) => ({ type: t, field: f, arg: a })],
  [new RegExp(`^An optional arg ${N} on ${N}\\.${N} `), (a, t, f) => ({ type: t, field: f, arg: a })],
  [new RegExp(`^An? (?:required|optional) field ${N} on input type ${N} `), (f, t) => ({ type: t, field: f })],
  [new RegExp(`^${N} was (?:removed from|added to) enum type ${N}\\.`), (v, t) => ({ type: t, value: v })],
  [new RegExp(`^${N} was (?:removed from|added to) union type ${N}\\.`), (_m, t) => ({ type: t })],
  [new RegExp(`^${N} added to interfaces implemented by ${N}\\.`), (_i, t) => ({ type: t })],
  [new RegExp(`^${N}\\.${N} `), (t, f) => ({ type: t, field: f })],
  [new RegExp(`^(?:Standard scalar )?${N} `), (t) => ({ type: t })],
]
const IN_RELEASED = new Set(['TYPE_REMOVED', 'FIELD_REMOVED', 'ARG_REMOVED', 'VALUE_REMOVED_FROM_ENUM'])

function coordinateOf(where) {
  if (!where) return undefined
  if (where.value) return `${where.type}.${where.value}`
  if (where.arg) return `${where.type}.${where.field}(${where.arg}:)`
  if (where.field) return `${where.type}.${where.field}`
  return where.type
}

// The schema element a coordinate names, or undefined.
function elementOf(schema, where) {
  if (!where) return undefined
  const type = schema.getType(where.type)
  if (!type) return undefined
  if (where.value) return typeof type.getValue === 'function' ? type.getValue(where.value) ?? undefined : undefined
  if (!where.field) return type
  const field = typeof type.getFields === 'function' ? type.getFields()[where.field] : undefined
  if (!field || !where.arg) return field
  return field.args?.find((a) => a.name === where.arg)
}

function lineOf(element) {
  // The name's line, not the description's above it.
  const loc = element?.astNode?.name?.loc ?? element?.astNode?.loc
  return loc ? getLocation(loc.source, loc.start).line : undefined
}

function describe(change, released, current) {
  const text = change.description.replace(/\.$/, '')
  if (change.type.startsWith('DIRECTIVE_')) return { ...change, text }
  const match = WHERE.map(([re, make]) => [re.exec(change.description), make]).find(([m]) => m)
  const where = match ? match[1](...match[0].slice(1)) : undefined
  const side = IN_RELEASED.has(change.type) ? 'released' : 'current'
  const element = elementOf(side === 'released' ? released : current, where)
  return { ...change, text, coordinate: coordinateOf(where), side, line: lineOf(element), element }
}

/**
 * Compares two schemas in SDL.
 * @param {string} releasedSDL the last released schema
 * @param {string} currentSDL the schema about to ship
 * @returns {{ breaking: Change[], dangerous: Change[], allowed: Change[] }} where a Change is
 *   { type, description, text, coordinate?, side?: 'released'|'current', line?, hint?, deprecationReason? }:
 *   `breaking` fail the contract, `allowed` are removals of what the released schema
 *   deprecated, `dangerous` are warnings.
 */
export function compareSchemas(releasedSDL, currentSDL) {
  const released = buildSchema(releasedSDL)
  const current = buildSchema(currentSDL)
  const breaking = []
  const allowed = []
  for (const change of findBreakingChanges(released, current)) {
    const { element, ...c } = describe(change, released, current)
    const reason = element?.deprecationReason
    if (REMOVALS.has(c.type) && reason != null) allowed.push({ ...c, deprecationReason: reason })
    else if (c.type === 'TYPE_REMOVED' && element && isSpecifiedScalarType(element)) {
      // graphql-js drops Int, Float … from a schema nothing uses them in: the
      // removals that left them unused are reported (or allowed) on their own.
      allowed.push({ ...c, hint: 'a built-in scalar nothing uses any more; the removals that made it unused are checked on their own' })
    } else breaking.push({ ...c, hint: HINTS[c.type] })
  }
  const dangerous = findDangerousChanges(released, current).map((change) => {
    const { element: _e, ...c } = describe(change, released, current)
    return c
  })
  return { breaking, dangerous, allowed }
}

/** One line per change, saying what and where. */
export function formatChange(kind, change, files = {}) {
  const file = change.side && files[change.side]
  const at = file && change.line ? ` [${file}:${change.line}]` : ''
  const extra = change.deprecationReason != null
    ? ` (deprecated in the released schema: "${change.deprecationReason}")`
    : change.hint ? ` (${change.hint})` : ''
  return `${kind} ${change.type}: ${change.text}${extra}${at}`
}

function shown(file) {
  const r = relative(repoRoot, file)
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : file
}

function parseArgs(argv) {
  const opts = { released: defaultReleased, current: defaultCurrent }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    if (flag === '--help' || flag === '-h') return { help: true }
    if (flag !== '--released' && flag !== '--current') throw new Error(`unknown argument ${argv[i]}`)
    const value = inline ?? argv[++i]
    if (!value) throw new Error(`${flag} needs a file`)
    opts[flag.slice(2)] = resolve(value)
  }
  return opts
}

export function main(argv = process.argv.slice(2)) {
  let opts
  let result
  try {
    opts = parseArgs(argv)
    if (opts.help) {
      console.log('usage: node scripts/check-schema.mjs [--released FILE] [--current FILE]')
      console.log(`  --released  the last released schema (default ${shown(defaultReleased)})`)
      console.log(`  --current   the schema about to ship (default ${shown(defaultCurrent)})`)
      return 0
    }
    result = compareSchemas(readFileSync(opts.released, 'utf8'), readFileSync(opts.current, 'utf8'))
  } catch (e) {
    console.error(`check-schema: ${e instanceof Error ? e.message : e}`)
    return 2
  }
  const files = { released: shown(opts.released), current: shown(opts.current) }
  const { breaking, dangerous, allowed } = result
  for (const c of allowed) console.log(formatChange('ALLOWED', c, files))
  for (const c of dangerous) console.log(formatChange('WARNING', c, files))
  for (const c of breaking) console.error(formatChange('BREAKING', c, files))
  const removals = allowed.length ? `, ${allowed.length} deprecated removal${allowed.length === 1 ? '' : 's'}` : ''
  const summary = `schema contract: ${breaking.length} breaking${removals}, ${dangerous.length} dangerous change${dangerous.length === 1 ? '' : 's'} against ${files.released}`
  if (breaking.length === 0) {
    console.log(summary)
    return 0
  }
  console.error(summary)
  console.error(
    `check-schema: ${files.current} breaks the released API contract. Keep the old shape and mark it ` +
      '@deprecated(reason: "…") instead; remove it after the next release (docs/api/CHANGELOG.md).',
  )
  return 1
}

// Run only when executed (node scripts/check-schema.mjs), not when imported by a test.
function executed() {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}
if (executed()) process.exitCode = main()
