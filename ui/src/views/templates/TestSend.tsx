import { useState } from 'react'
import { errorMessage } from '../../api'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Panel } from '../../components/Panel'
import { useApi } from '../../session'
import { testSend, type SendAnswer } from './templatesApi'

interface Props {
  /** The saved template's id; undefined while it is new. */
  templateId: string | undefined
  profile: string
  /** The draft has unsaved changes (the send uses the saved version). */
  dirty: boolean
}

/** Sends the saved template to the chosen profile as a transactional message. */
export function TestSend({ templateId, profile, dirty }: Props) {
  const api = useApi()
  const [busy, setBusy] = useState(false)
  const [answer, setAnswer] = useState<SendAnswer>()
  const [error, setError] = useState<string>()
  const canSend = !!templateId && profile.trim() !== '' && !busy

  const send = async () => {
    if (!templateId) return
    setBusy(true)
    setError(undefined)
    setAnswer(undefined)
    try {
      setAnswer(await testSend(api, templateId, profile))
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Panel title="Test send" className="tpl-test-send">
      <p className="muted">
        {!templateId
          ? 'Save the template first: a test send uses the saved version.'
          : profile.trim() === ''
            ? 'Choose a profile above to send to.'
            : `Sends “${templateId}” to ${profile.trim()} now, as a transactional message (it skips marketing caps and quiet hours, never suppression).`}
        {templateId && dirty && ' Your unsaved changes are not part of it.'}
      </p>
      <button type="button" className="button-secondary" disabled={!canSend} onClick={() => void send()}>
        {busy ? 'Sending…' : 'Send test'}
      </button>
      {error && <ErrorMessage message={error} />}
      {answer && (
        <div role="status" className="tpl-send-answer">
          <p>
            Queued{typeof answer.status === 'string' ? ` (${answer.status})` : ''}
            {typeof answer.key === 'string' ? (
              <>
                {' '}
                with key <code>{answer.key}</code>
              </>
            ) : null}
            .
          </p>
          <pre className="tpl-rendered">{JSON.stringify(answer, null, 2)}</pre>
        </div>
      )}
    </Panel>
  )
}
