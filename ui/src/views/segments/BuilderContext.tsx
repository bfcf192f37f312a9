import { createContext, useContext } from 'react'
import type { Segment, Source } from '../../api'
import type { NodeError } from './errorPath'

/** What every node of the builder may need besides its own JSON. */
export interface Builder {
  /** Saved segments, for in_segment (undefined while loading). */
  segments: Segment[] | undefined
  /** Sources, for channel conditions. */
  sources: Source[] | undefined
  /** The segment being edited (it cannot reference itself). */
  selfId: string | undefined
  /** The API's validation error when it is about a node. */
  error: NodeError | undefined
}

const Ctx = createContext<Builder>({ segments: undefined, sources: undefined, selfId: undefined, error: undefined })

export const BuilderProvider = Ctx.Provider

export function useBuilder(): Builder {
  return useContext(Ctx)
}
