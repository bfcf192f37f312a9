import { useEffect, useState, type ComponentType } from 'react'
import { ExperimentForm, RandomSplitForm } from './forms/ArmsForm'
import { DelayForm } from './forms/DelayForm'
import { TextField } from './forms/fields'
import type { BodyFormProps, Refs } from './forms/formTypes'
import { MessageForm } from './forms/MessageForm'
import { JumpForm, UpdateForm, WebhookForm } from './forms/OtherForms'
import { MultiSplitForm, SplitForm } from './forms/SplitForm'
import { WaitForm } from './forms/WaitForm'
import { slots } from './graph'
import { NextSteps } from './NextSteps'
import { body, kindOf, type JNode, type NodeKind } from './types'

function ExitForm() {
  return <p className="hint">Customers who reach this step complete the journey.</p>
}

const FORMS: Record<NodeKind, ComponentType<BodyFormProps>> = {
  delay: DelayForm,
  wait: WaitForm,
  split: SplitForm,
  multi_split: MultiSplitForm,
  random_split: RandomSplitForm,
  experiment: ExperimentForm,
  message: MessageForm,
  update: UpdateForm,
  webhook: WebhookForm,
  jump: JumpForm,
  exit: ExitForm,
}

interface Props {
  node: JNode
  refs: Refs
  /** Sets a field of the node by path ("delay.duration"). */
  onSet: (path: string, value: unknown) => void
  onRename: (to: string) => string | undefined
  onConnect: (slot: string, target: string) => void
}

/** The settings of one step: its id and name, its kind's form, and where each branch leads. */
export function NodePanel({ node, refs, onSet, onRename, onConnect }: Props) {
  const kind = kindOf(node)
  const [id, setId] = useState(node.id)
  const [renameError, setRenameError] = useState<string>()
  useEffect(() => {
    setId(node.id)
    setRenameError(undefined)
  }, [node.id])
  const Form = kind ? FORMS[kind] : undefined
  const commitId = () => {
    if (id !== node.id) setRenameError(onRename(id))
  }
  return (
    <>
      <form
        className="jr-rename"
        onSubmit={(e) => {
          e.preventDefault()
          commitId()
        }}
      >
        <TextField label="Step id" value={id} onChange={setId} invalid={!!renameError} hint={renameError ?? 'Letters, digits, _, . or -. Press Enter to rename.'} />
      </form>
      <TextField label="Name on the canvas" value={node.name ?? ''} onChange={(v) => onSet('name', v || undefined)} placeholder={node.id} />
      {Form && kind ? (
        <Form body={body(node)} set={(path, v) => onSet(`${kind}.${path}`, v)} refs={refs} />
      ) : (
        <p className="hint">This step has no kind the console knows; it is kept as it is.</p>
      )}
      <NextSteps slots={slots(node)} targets={refs.nodeIds.filter((t) => t !== node.id)} onConnect={onConnect} />
    </>
  )
}
