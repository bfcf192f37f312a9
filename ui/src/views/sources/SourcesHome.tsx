import { useState } from 'react'
import type { Source } from '../../api'
import { Page } from '../../components/Page'
import { Panel } from '../../components/Panel'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { CreateSourceForm } from './CreateSourceForm'
import { DebuggerPanel } from './DebuggerPanel'
import { NewKeyNotice } from './NewKeyNotice'
import { SourceList } from './SourceList'

/** /sources: create a source, list them, and watch every source's events arrive. */
export function SourcesHome() {
  const api = useApi()
  const list = useLoad((signal) => api.sources(signal), [api])
  const [created, setCreated] = useState<Source>()

  return (
    <Page title="Sources" lead="Where events come from: one source per website, app or system, each with its write keys.">
      <Panel title="New source">
        <CreateSourceForm
          onCreated={(s) => {
            setCreated(s)
            list.reload()
          }}
        />
      </Panel>
      {created && <NewKeyNotice source={created} onDismiss={() => setCreated(undefined)} />}
      <SourceList sources={list.data} loading={list.loading} error={list.error} onRetry={list.reload} />
      <DebuggerPanel
        title="Live events from every source"
        hint={<p>Send one with the curl snippet on a source’s page (open a source above).</p>}
      />
    </Page>
  )
}
