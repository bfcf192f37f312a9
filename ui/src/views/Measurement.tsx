import { Page } from '../components/Page'

/** Measurement: funnels, paths, attribution, lifetime value, experiments and reports. */
export function Measurement() {
  return (
    <Page title="Measurement">
      <section className="panel">
        <p>Being built.</p>
      </section>
    </Page>
  )
}
