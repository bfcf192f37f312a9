import { Page } from '../components/Page'

/** Journeys: being built. */
export function Journeys() {
  return (
    <Page title="Journeys">
      <section className="panel">
        <p>Being built.</p>
      </section>
    </Page>
  )
}
