import { useState } from 'react'
import { errorMessage, type Source, type WriteKey } from '../../api'
import { EmptyState } from '../../components/EmptyState'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Panel } from '../../components/Panel'
import { useApi } from '../../session'
import { isInternalSource } from './channels'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { KeyTable } from './KeyTable'

/** A source's write keys: add one (rotation) and revoke one after a confirmation. */
export function WriteKeysPanel({ source, onChanged }: { source: Source; onChanged: () => void }) {
  const api = useApi()
  const keys = source.write_keys ?? []
  const active = keys.filter((k) => !k.revoked_at)
  const [fresh, setFresh] = useState<string>()
  const [notice, setNotice] = useState<string>()
  const [adding, setAdding] = useState(false)
  const [addError, setAddError] = useState<string>()
  const [revoking, setRevoking] = useState<WriteKey>()
  const [revokeBusy, setRevokeBusy] = useState(false)
  const [revokeError, setRevokeError] = useState<string>()

  if (isInternalSource(source)) {
    return (
      <Panel title="Write keys">
        <EmptyState title="Cairn’s own source">
          <p>
            Cairn logs the events it emits itself here (Segment Entered, Stage Changed…). Nothing outside Cairn sends
            as this source, so it has no write keys. Create a source of your own to send events.
          </p>
        </EmptyState>
      </Panel>
    )
  }

  async function add() {
    setAdding(true)
    setAddError(undefined)
    setNotice(undefined)
    try {
      const k = await api.addWriteKey(source.id)
      setFresh(k.key)
      setNotice(
        active.length > 0
          ? 'New key added. Switch your SDKs to it, then revoke the old key.'
          : 'New key added. The snippets below use it.',
      )
      onChanged()
    } catch (err) {
      setAddError(errorMessage(err))
    } finally {
      setAdding(false)
    }
  }

  async function revoke() {
    if (!revoking) return
    setRevokeBusy(true)
    setRevokeError(undefined)
    try {
      await api.revokeWriteKey(source.id, revoking.key)
      setNotice(`Key ${revoking.key.slice(0, 8)}… revoked. SDKs still using it are refused within seconds.`)
      setRevoking(undefined)
      onChanged()
    } catch (err) {
      setRevokeError(errorMessage(err))
    } finally {
      setRevokeBusy(false)
    }
  }

  const onlyKey = revoking !== undefined && active.length === 1
  return (
    <Panel
      title="Write keys"
      actions={
        <button type="button" className="button-secondary" onClick={add} disabled={adding}>
          {adding ? 'Adding…' : 'Add a key'}
        </button>
      }
      isEmpty={keys.length === 0}
      empty={
        <EmptyState title="No write keys">
          <p>Add a key to let an SDK send events as “{source.name}”.</p>
        </EmptyState>
      }
    >
      {addError && <ErrorMessage message={addError} onRetry={add} />}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <KeyTable
        keys={keys}
        fresh={fresh}
        onRevoke={(k) => {
          setRevokeError(undefined)
          setRevoking(k)
        }}
      />
      {revoking && (
        <ConfirmDialog
          title="Revoke this write key?"
          confirmLabel="Revoke key"
          busy={revokeBusy}
          error={revokeError}
          onConfirm={revoke}
          onCancel={() => setRevoking(undefined)}
        >
          <p>
            <code>{revoking.key}</code> stops working within seconds: every SDK that still sends with it is refused and
            its events are lost. This cannot be undone.
          </p>
          {onlyKey && (
            <p>
              <strong>It is the only active key of “{source.name}”.</strong> Nothing can send as this source until you
              add a new key.
            </p>
          )}
        </ConfirmDialog>
      )}
    </Panel>
  )
}
