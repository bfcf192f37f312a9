import { Link, useParams } from 'react-router'
import { ErrorMessage } from '../components/ErrorMessage'
import { Page } from '../components/Page'
import { useApi } from '../session'
import { useLoad } from '../useLoad'
import { IdentitiesPanel } from './profile/IdentitiesPanel'
import { PrivacyPanel } from './profile/PrivacyPanel'
import { ProfileJourneys } from './profile/ProfileJourneys'
import { ProfileMessages } from './profile/ProfileMessages'
import { ProfileSegments } from './profile/ProfileSegments'
import { ProfileSummary } from './profile/ProfileSummary'
import { Timeline } from './profile/Timeline'
import { TraitsPanel } from './profile/TraitsPanel'
import { displayName } from './profile/traits'

/** The 360° view of one customer at /profiles/:ref (a profile id or type:value). */
export function ProfileView() {
  const { ref = '' } = useParams()
  // Keyed by the reference so nothing of the previous customer stays on screen.
  return <ProfileDetail key={ref} profileRef={ref} />
}

function ProfileDetail({ profileRef }: { profileRef: string }) {
  const api = useApi()
  const { data: p, error, loading, reload } = useLoad((signal) => api.profile(profileRef, signal), [api, profileRef])

  if (!p) {
    return (
      <Page title="Profile">
        <section className="panel">
          {loading ? (
            <p className="muted" role="status">
              Loading…
            </p>
          ) : (
            <>
              <ErrorMessage message={error ?? 'This profile could not be loaded.'} onRetry={reload} />
              <p>
                <Link to="/profiles">Search for another profile</Link>
              </p>
            </>
          )}
        </section>
      </Page>
    )
  }

  return (
    <Page
      title={displayName(p)}
      lead={
        <>
          <Link to="/profiles">Profiles</Link> › <code>{p.id}</code>
        </>
      }
    >
      {error && <ErrorMessage message={error} onRetry={reload} />}
      <div className="panel-grid">
        <ProfileSummary profile={p} />
        <IdentitiesPanel profile={p} />
        <TraitsPanel profile={p} />
        <ProfileSegments profileId={p.id} />
        <ProfileJourneys profileId={p.id} />
        <ProfileMessages profileId={p.id} />
        <Timeline profileId={p.id} />
        <PrivacyPanel profileId={p.id} label={displayName(p)} />
      </div>
    </Page>
  )
}
