import { Page } from '../components/Page'

/** Segments: being built. */
export function Segments() {
  return (
    <Page title="Segments">
      <section className="panel">
        <p>Being built.</p>
      </section>
    </Page>
  )
}
