import { useState } from 'react'
import { Page } from '../components/Page'
import { ProfileList } from './profile/ProfileList'
import { ProfileSearch } from './profile/ProfileSearch'

/** Find a customer by an identifier; with an empty search, browse them all. */
export function Profiles() {
  const [query, setQuery] = useState('')
  return (
    <Page title="Profiles" lead="Every customer Cairn knows, unified across sources, devices and identifiers.">
      <ProfileSearch value={query} onChange={setQuery} />
      {query.trim() === '' && <ProfileList />}
    </Page>
  )
}
