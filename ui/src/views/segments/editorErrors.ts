import { ApiError, errorMessage } from '../../api'
import { nodeError, type NodeError } from './errorPath'
import type { SegNode } from './types'

/** Where the editor shows an API error: next to a field, on a node, or above everything. */
export interface EditorErrors {
  name?: string
  description?: string
  text?: string
  node?: NodeError
  general?: string
}

/** Routes err (from preview or save) to the part of the editor it is about. */
export function editorErrors(err: unknown, tree: SegNode, textMode: boolean): EditorErrors {
  if (!err) return {}
  const msg = errorMessage(err)
  const field = err instanceof ApiError ? err.field : undefined
  if (field === 'name') return { name: msg }
  if (field === 'description') return { description: msg }
  if (field === 'text') return { text: msg }
  if (err instanceof ApiError && err.code === 'conflict' && /named/.test(msg)) return { name: msg }
  if (!textMode) {
    const node = nodeError(tree, err)
    if (node) return { node }
  } else if (field?.startsWith('definition.')) {
    // A valid text whose tree the server refused: the path is of the tree parsed from the text.
    return { text: msg }
  }
  return { general: msg }
}
