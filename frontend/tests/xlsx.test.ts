// The list export's workbook: a zip whose parts an unzip reads back, with
// the cells typed as a clerk expects (ID numbers stay text).
import { describe, expect, it } from 'vitest'
import { crc32, xlsxWorkbook } from '@/lib/xlsx'

/** The parts of a stored zip, each checked against its CRC. */
function unzipStored(buf: Uint8Array): Record<string, string> {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const out: Record<string, string> = {}
  let at = 0
  const dec = new TextDecoder()
  while (v.getUint32(at, true) === 0x04034b50) {
    const crc = v.getUint32(at + 14, true)
    const size = v.getUint32(at + 18, true)
    const nameLen = v.getUint16(at + 26, true)
    const name = dec.decode(buf.subarray(at + 30, at + 30 + nameLen))
    const data = buf.subarray(at + 30 + nameLen, at + 30 + nameLen + size)
    expect(crc32(data), name).toBe(crc)
    out[name] = dec.decode(data)
    at += 30 + nameLen + size
  }
  expect(v.getUint32(buf.length - 22, true)).toBe(0x06054b50)
  expect(v.getUint16(buf.length - 14, true)).toBe(Object.keys(out).length)
  return out
}

describe('xlsx export', () => {
  it('writes the header and rows, numbers as numbers and codes as text', () => {
    const parts = unzipStored(xlsxWorkbook('花名册', ['姓名', '身份证号', '年龄'], [['张<三>', '010203199001011234', 36], ['李四', null, 5]]))
    expect(Object.keys(parts).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'])
    const sheet = parts['xl/worksheets/sheet1.xml']
    expect(sheet).toContain('<c r="A1" t="inlineStr" s="1"><is><t xml:space="preserve">姓名</t></is></c>')
    expect(sheet).toContain('<t xml:space="preserve">张&lt;三&gt;</t>')
    expect(sheet).toContain('<c r="B2" t="inlineStr"><is><t xml:space="preserve">010203199001011234</t></is></c>')
    expect(sheet).toContain('<c r="C2"><v>36</v></c>')
    expect(sheet).not.toContain('r="B3"')
    expect(parts['xl/workbook.xml']).toContain('name="花名册"')
  })
  it('names columns past Z as spreadsheets do', () => {
    const header = Array.from({ length: 28 }, (_, i) => `h${i}`)
    const sheet = unzipStored(xlsxWorkbook('s', header, []))['xl/worksheets/sheet1.xml']
    expect(sheet).toContain('r="Z1"')
    expect(sheet).toContain('r="AA1"')
    expect(sheet).toContain('r="AB1"')
  })
})
