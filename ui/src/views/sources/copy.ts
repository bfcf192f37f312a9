/** How a copy went: to the clipboard, or only selected for the user to copy. */
export type CopyResult = 'copied' | 'selected'

/**
 * Copies text to the clipboard. Where the Clipboard API is missing or refused
 * (a console opened over plain http on another host is not a secure context),
 * it selects the text in `element` instead and tries the legacy copy command;
 * when that fails too, the text stays selected for Ctrl+C.
 */
export async function copyText(text: string, element?: HTMLElement | null): Promise<CopyResult> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return 'copied'
    }
  } catch {
    // refused (no permission, no focus): fall back to selecting the text
  }
  if (element) selectContents(element)
  try {
    if (element && typeof document.execCommand === 'function' && document.execCommand('copy')) return 'copied'
  } catch {
    // not supported
  }
  return 'selected'
}

function selectContents(el: HTMLElement) {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    el.focus()
    el.select()
    return
  }
  const sel = window.getSelection()
  if (!sel) return
  const range = document.createRange()
  range.selectNodeContents(el)
  sel.removeAllRanges()
  sel.addRange(range)
}
