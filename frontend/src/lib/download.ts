// Downloads: files the server makes (rosters) and tables the page has (CSV).
import { useAuthStore } from '@/stores/auth'
import type { Cell } from './xlsx'

function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/**
 * Fetches a server file with the bearer token (a plain link cannot carry it)
 * and saves it. Throws with the server's status when the download is refused.
 */
export async function downloadFile(url: string, filename: string): Promise<void> {
  const auth = useAuthStore()
  const res = await fetch(url, { headers: auth.headers() })
  if (!res.ok) throw new Error(`HTTP ${res.status}`)
  save(await res.blob(), filename)
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Rows as CSV with a byte-order mark, so Excel opens the Chinese text correctly. */
export function toCSV(header: string[], rows: unknown[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

export function downloadCSV(filename: string, header: string[], rows: unknown[][]) {
  save(new Blob([toCSV(header, rows)], { type: 'text/csv;charset=utf-8' }), filename)
}

/** Rows as an .xlsx workbook of one sheet (lib/xlsx.ts). */
export async function downloadXLSX(filename: string, sheet: string, header: string[], rows: Cell[][]) {
  const { xlsxWorkbook } = await import('./xlsx')
  const bytes = xlsxWorkbook(sheet, header, rows)
  save(new Blob([bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), filename)
}
