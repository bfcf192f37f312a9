import { useCallback, useEffect, useRef } from 'react'
import { pathKey, type Path } from '../tree'
import type { SegNode } from '../types'
import { NodeView } from './NodeView'
import type { TreeEdit } from './TreeEdit'

interface Props {
  tree: SegNode
  onChange: (tree: SegNode) => void
}

/** The visual builder: the root group and everything in it, keyboard operable. */
export function ConditionTree({ tree, onChange }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const treeRef = useRef(tree)
  treeRef.current = tree
  const focus = useRef<{ path: Path; control: string }>(undefined)

  const edit = useCallback<TreeEdit>(
    (fn, target) => {
      focus.current = target
      onChange(fn(treeRef.current))
    },
    [onChange],
  )

  useEffect(() => {
    const target = focus.current
    const root = box.current
    if (!target || !root) return
    focus.current = undefined
    // The node itself, else the nearest group still there (after a removal).
    for (let p = [...target.path]; ; p = p.slice(0, -1)) {
      const node = root.querySelector(`[data-seg-path="${pathKey(p)}"]`)
      const control = p.length === target.path.length ? target.control : 'add'
      const el = node && [...node.querySelectorAll<HTMLElement>(`[data-seg-focus="${control}"]`)].find((e) => e.closest('[data-seg-path]') === node)
      if (el) {
        el.focus()
        return
      }
      if (p.length === 0) return
    }
  }, [tree])

  return (
    <div ref={box} className="seg-tree">
      <NodeView node={tree} path={[]} edit={edit} />
    </div>
  )
}
