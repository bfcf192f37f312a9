import { Link } from 'react-router'
import { Page } from '../components/Page'

export function NotFound() {
  return (
    <Page title="Page not found">
      <section className="panel">
        <p>
          There is no console page at this address. Go to the <Link to="/">Overview</Link>.
        </p>
      </section>
    </Page>
  )
}
