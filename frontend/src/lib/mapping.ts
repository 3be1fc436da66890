// The column mapping step of a roster import: from a dry run's report, the
// workbook's headers (and sheets) the format does not know, each with the
// choices the format offers; the user's choices become the importRoster
// `columns` argument (the CLI's --columns file, docs/roster.md).

/** What the report says about one unknown header (header ''), or an unknown sheet. */
export interface UnknownColumnLike {
  sheet: string
  formatSheet: string
  header: string
  ambiguous: boolean
  suggestions: string[]
}

export interface FormatSheetLike {
  name: string
  columns: { name: string; alias: string; required: boolean }[]
}

/** One line of a column mapping, as the API takes it. */
export interface ColumnMappingLine {
  sheet: string
  header: string
  column: string
}

/** The choice "ignore this header on purpose" (column ''). */
export const IGNORE = '\u0000ignore'

export interface MappingOption {
  value: string
  /** The column's name with its English alias ("联系电话 phone"). */
  label: string
  required: boolean
  suggested: boolean
}

/** The key of a mapping line: its sheet and header, compared as the server compares headers (roughly). */
export function lineKey(sheet: string, header: string): string {
  const fold = (s: string) => s.normalize('NFKC').replace(/[\s_*]/g, '').toLowerCase()
  return `${fold(sheet)}\u0000${fold(header)}`
}

/**
 * The choices for one unknown header: the report's suggestions first (the
 * likeliest, not taken by another header), then the sheet's other columns;
 * for an unknown sheet, the format's sheets. Ignoring is offered by the
 * component, not here.
 */
export function optionsFor(u: UnknownColumnLike, format: FormatSheetLike[]): MappingOption[] {
  if (!u.header) {
    return format.map((s) => ({ value: s.name, label: s.name, required: false, suggested: u.suggestions.includes(s.name) }))
      .sort((a, b) => Number(b.suggested) - Number(a.suggested))
  }
  const sheet = format.find((s) => s.name === u.formatSheet)
  const columns = sheet?.columns ?? []
  const byName = new Map(columns.map((c) => [c.name, c]))
  const out: MappingOption[] = []
  const label = (name: string) => {
    const c = byName.get(name)
    return c && c.alias ? `${name} ${c.alias}` : name
  }
  for (const name of u.suggestions) {
    out.push({ value: name, label: label(name), required: byName.get(name)?.required ?? false, suggested: true })
  }
  if (!u.ambiguous) {
    for (const c of columns) {
      if (!u.suggestions.includes(c.name)) out.push({ value: c.name, label: label(c.name), required: c.required, suggested: false })
    }
  }
  return out
}

/**
 * The mapping to send: the lines chosen before (a mapping already applied
 * keeps applying: its headers are no longer reported unknown) with the new
 * choices over them. choices maps lineKey(sheet, header) to a column name,
 * IGNORE, or '' / undefined (no choice: the line is left out). Whole-sheet
 * lines come first, so that the lines of a renamed sheet follow the line
 * naming its kind.
 */
export function buildMapping(
  previous: ColumnMappingLine[],
  unknown: UnknownColumnLike[],
  choices: Record<string, string | undefined>,
): ColumnMappingLine[] {
  const lines = new Map<string, ColumnMappingLine>()
  for (const l of previous) lines.set(lineKey(l.sheet, l.header), { ...l })
  for (const u of unknown) {
    const key = lineKey(u.sheet, u.header)
    const choice = choices[key]
    if (!choice) continue
    if (choice === IGNORE) {
      if (u.header) lines.set(key, { sheet: u.sheet, header: u.header, column: '' })
      continue
    }
    lines.set(key, { sheet: u.sheet, header: u.header, column: choice })
  }
  const all = [...lines.values()]
  return [...all.filter((l) => !l.header), ...all.filter((l) => l.header)]
}

/**
 * Whether the choices leave a required column missing: the report's
 * missing columns not chosen for any header of their sheet.
 */
export function stillMissing(
  missing: { sheet: string; column: string }[],
  unknown: UnknownColumnLike[],
  choices: Record<string, string | undefined>,
): { sheet: string; column: string }[] {
  return missing.filter(
    (m) => !unknown.some((u) => u.sheet === m.sheet && u.header && choices[lineKey(u.sheet, u.header)] === m.column),
  )
}
