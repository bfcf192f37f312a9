import { afterEach, describe, expect, it, vi } from 'vitest'
import { copyText } from './copy'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('copyText', () => {
  it('uses the clipboard when there is one', async () => {
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    expect(await copyText('wk_1')).toBe('copied')
    expect(writeText).toHaveBeenCalledWith('wk_1')
  })

  it('selects the text of an input when the clipboard refuses', async () => {
    vi.stubGlobal('navigator', { clipboard: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) } })
    const input = document.createElement('input')
    input.value = 'wk_2'
    document.body.append(input)
    expect(await copyText('wk_2', input)).toBe('selected')
    expect(input).toHaveFocus()
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, 4])
  })

  it('selects the text of a code block without a clipboard, and copies it when the browser can', async () => {
    vi.stubGlobal('navigator', {})
    const pre = document.createElement('pre')
    pre.textContent = 'curl …'
    document.body.append(pre)
    expect(await copyText('curl …', pre)).toBe('selected')
    expect(window.getSelection()?.toString()).toBe('curl …')

    const exec = vi.fn(() => true)
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true })
    try {
      expect(await copyText('curl …', pre)).toBe('copied')
      expect(exec).toHaveBeenCalledWith('copy')
    } finally {
      Reflect.deleteProperty(document, 'execCommand')
    }
  })
})
