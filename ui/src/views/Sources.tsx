import { Page } from '../components/Page'

/** Sources: where events come from, their write keys, SDK snippets and the live debugger. */
export function Sources() {
  return (
    <Page title="Sources">
      <section className="panel">
        <p>Being built.</p>
      </section>
    </Page>
  )
}
