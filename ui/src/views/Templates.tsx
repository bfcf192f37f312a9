import { Page } from '../components/Page'

/** Templates: being built. */
export function Templates() {
  return (
    <Page title="Templates">
      <section className="panel">
        <p>Being built.</p>
      </section>
    </Page>
  )
}
