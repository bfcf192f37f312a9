import { useState } from 'react'
import { useLocation } from 'react-router'
import { Page } from '../components/Page'
import { ProfileList } from './profile/ProfileList'
import { ProfileSearch } from './profile/ProfileSearch'

/** Find a customer by an identifier; with an empty search, browse them all. */
export function Profiles() {
  const [query, setQuery] = useState('')
  const notice = (useLocation().state as { notice?: string } | null)?.notice
  return (
    <Page title="Profiles" lead="Every customer Cairn knows, unified across sources, devices and identifiers.">
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ProfileSearch value={query} onChange={setQuery} />
      {query.trim() === '' && <ProfileList />}
    </Page>
  )
}
