import { messageFor } from '../errorPath'
import { useBuilder } from '../BuilderContext'
import type { Path } from '../tree'

/** The API's validation message when it is about the node at path. */
export function useNodeError(path: Path): string | undefined {
  return messageFor(useBuilder().error, path)
}

export function NodeError({ message }: { message: string | undefined }) {
  if (!message) return null
  return (
    <p className="field-error seg-node-error" role="alert">
      {message}
    </p>
  )
}
