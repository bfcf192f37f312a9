import { useState } from 'react'
import { useLocation } from 'react-router'
import { Page } from '../components/Page'
import { ProfileList } from './profile/ProfileList'
import { ProfileSearch } from './profile/ProfileSearch'

/** Find a customer by an identifier, list those with a trait value, or, with an empty search, browse them all. */
export function Profiles() {
  const [query, setQuery] = useState('')
  const [trait, setTrait] = useState<{ path: string; value: string }>()
  const notice = (useLocation().state as { notice?: string } | null)?.notice
  return (
    <Page title="Profiles" lead="Every customer Cairn knows, unified across sources, devices and identifiers.">
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ProfileSearch
        value={query}
        onChange={(v) => {
          setQuery(v)
          setTrait(undefined)
        }}
        onTrait={setTrait}
      />
      {trait ? <ProfileList key={`${trait.path}=${trait.value}`} trait={trait} /> : query.trim() === '' && <ProfileList />}
    </Page>
  )
}
