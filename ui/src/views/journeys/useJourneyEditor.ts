import { useCallback, useEffect, useState } from 'react'
import { ApiError, errorMessage, type ApiClient } from '../../api'
import { diffDefinitions, type JourneyDiff } from './diff'
import { addAfter, connect, deleteNode, moveNode, renameNode, setNodeField } from './edit'
import { changeStatus, getJourney, publishJourney, saveDraft, validateJourney, type JourneyRecord, type StatusAction } from './journeysApi'
import { setAt } from './paths'
import { problemsByNode } from './problems'
import { ENTRY_ID, type JourneyDefinition, type NodeKind, type Problem } from './types'

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/

export type Busy = 'loading' | 'save' | 'publish' | StatusAction | null

/** The editor's state: the journey as saved, the draft being edited, the selection, the last check, and the actions. */
export function useJourneyEditor(api: ApiClient, id: string) {
  const [record, setRecord] = useState<JourneyRecord>()
  const [draft, setDraft] = useState<JourneyDefinition>()
  const [dirty, setDirty] = useState(false)
  const [selected, setSelected] = useState<string | null>(null)
  const [problems, setProblems] = useState<Map<string, Problem[]>>(new Map())
  const [checked, setChecked] = useState(false)
  const [busy, setBusy] = useState<Busy>('loading')
  const [error, setError] = useState<string>()
  const [notice, setNotice] = useState<string>()
  const [pendingPublish, setPendingPublish] = useState<JourneyDiff>()
  const [attempt, setAttempt] = useState(0)

  const adopt = useCallback((r: JourneyRecord) => {
    setRecord(r)
    setDraft(r.draft)
    setDirty(false)
  }, [])

  // Closing or reloading the tab with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [dirty])

  useEffect(() => {
    const ctl = new AbortController()
    setBusy('loading')
    getJourney(api, id, ctl.signal).then(
      (r) => {
        adopt(r)
        setError(undefined)
        setBusy(null)
      },
      (err: unknown) => {
        if (ctl.signal.aborted) return
        setError(errorMessage(err))
        setBusy(null)
      },
    )
    return () => ctl.abort()
  }, [api, id, adopt, attempt])

  const edit = useCallback((fn: (d: JourneyDefinition) => JourneyDefinition) => {
    setDraft((d) => (d ? fn(d) : d))
    setDirty(true)
    setNotice(undefined)
  }, [])

  /** Saves the draft when changed, then checks it; answers whether it is valid. */
  const saveAndCheck = useCallback(async (): Promise<JourneyRecord | undefined> => {
    if (!draft) return undefined
    setError(undefined)
    let saved = record
    try {
      if (dirty || !saved) {
        saved = await saveDraft(api, draft)
        adopt(saved)
      }
      const ps = await validateJourney(api, id)
      setProblems(problemsByNode(saved.draft, ps))
      setChecked(true)
      return ps.length ? undefined : saved
    } catch (err) {
      if (err instanceof ApiError && err.problems?.length) {
        setProblems(problemsByNode(draft, err.problems))
        setChecked(true)
      } else setError(errorMessage(err))
      return undefined
    }
  }, [api, id, draft, dirty, record, adopt])

  const run = async (what: Busy, fn: () => Promise<void>) => {
    setBusy(what)
    setNotice(undefined)
    try {
      await fn()
    } finally {
      setBusy(null)
    }
  }

  const actions = {
    select: setSelected,
    reload: () => setAttempt((a) => a + 1),
    save: () =>
      run('save', async () => {
        const ok = await saveAndCheck()
        if (ok) setNotice('Draft saved. No problems found.')
      }),
    startPublish: () =>
      run('publish', async () => {
        const saved = await saveAndCheck()
        if (saved) setPendingPublish(diffDefinitions(saved.live, saved.draft))
      }),
    cancelPublish: () => setPendingPublish(undefined),
    publish: (migrate?: Record<string, string>) =>
      run('publish', async () => {
        try {
          const res = await publishJourney(api, id, migrate)
          setPendingPublish(undefined)
          adopt(await getJourney(api, id))
          const moved = res.migrated ? ` ${res.migrated} waiting ${res.migrated === 1 ? 'customer' : 'customers'} moved onto it.` : ''
          setNotice(res.unchanged ? `Version ${res.version} stays live: nothing changed.` : `Published: version ${res.version} is live.${moved}`)
        } catch (err) {
          setError(errorMessage(err))
          setPendingPublish(undefined)
        }
      }),
    status: (action: StatusAction) =>
      run(action, async () => {
        try {
          const r = await changeStatus(api, id, action)
          setRecord((rec) => (rec ? { ...rec, status: r.status } : rec))
          setNotice(action === 'pause' ? 'Paused: no new entries; customers in it stay where they are.' : action === 'resume' ? 'Live again: taking entries.' : 'Stopped: everyone in it has left the journey.')
        } catch (err) {
          setError(errorMessage(err))
        }
      }),
    /** Adds a step after the selected one (after '' : unconnected); answers its id. */
    add: (kind: NodeKind, after = selected ?? ''): string | undefined => {
      if (!draft) return undefined
      const r = addAfter(draft, after, kind)
      edit(() => r.def)
      setSelected(r.id)
      return r.id
    },
    connect: (source: string, slot: string, target: string) => edit((d) => connect(d, source, slot, target)),
    remove: (nodeId: string) => {
      if (nodeId === ENTRY_ID) return
      edit((d) => deleteNode(d, nodeId))
      setSelected((s) => (s === nodeId ? null : s))
    },
    setNode: (nodeId: string, path: string, v: unknown) => edit((d) => setNodeField(d, nodeId, path, v)),
    /** A step dragged (or dropped) on the canvas: its position is saved with the draft. */
    move: (nodeId: string, at: { x: number; y: number }) => edit((d) => moveNode(d, nodeId, at)),
    setDef: (path: string, v: unknown) => edit((d) => setAt(d, path, v)),
    rename: (from: string, to: string): string | undefined => {
      if (!ID.test(to)) return 'Use 1-128 letters, digits, _, . or -, starting with a letter or digit.'
      if (draft?.nodes.some((n) => n.id === to)) return `Another step is already called ${to}.`
      edit((d) => renameNode(d, from, to))
      setSelected(to)
      return undefined
    },
  }

  return { record, draft, dirty, selected, problems, checked, busy, error, notice, pendingPublish, actions }
}
