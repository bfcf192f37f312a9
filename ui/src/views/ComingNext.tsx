import { Link } from 'react-router'
import { EmptyState } from '../components/EmptyState'
import { Page } from '../components/Page'
import { RichText } from '../components/RichText'
import type { NavItem } from '../nav'

/** A section of the console that is not built yet: what it will do and how to do it today. */
export function ComingNext({ item }: { item: NavItem }) {
  return (
    <Page title={item.label}>
      <section className="panel">
        <EmptyState title="Coming next">
          <p>
            <RichText text={item.comingNext ?? ''} />
          </p>
          <p>
            Meanwhile, the <Link to="/">Overview</Link> shows what Cairn has received and the{' '}
            <Link to="/profiles">Profiles</Link> view shows every customer.
          </p>
        </EmptyState>
      </section>
    </Page>
  )
}
