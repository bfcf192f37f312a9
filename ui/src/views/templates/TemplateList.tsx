import { Link } from 'react-router'
import { EmptyState } from '../../components/EmptyState'
import { Page } from '../../components/Page'
import { Panel } from '../../components/Panel'
import { TableWrap } from '../../components/TableWrap'
import { useApi } from '../../session'
import { useLoad } from '../../useLoad'
import { CHANNELS, listTemplates, type Channel, type TemplateRow } from './templatesApi'

export function channelLabel(c: string): string {
  return CHANNELS[c as Channel]?.label ?? c
}

/** /templates: every template with its channel and what a customer sees first. */
export function TemplateList() {
  const api = useApi()
  const list = useLoad((signal) => listTemplates(api, signal), [api])
  const sorted = list.data && [...list.data].sort((a: TemplateRow, b: TemplateRow) => a.id.localeCompare(b.id))
  return (
    <Page
      title="Templates"
      lead="The messages journeys and test sends use, written in Liquid and previewed for a real customer."
      actions={
        <Link className="button-primary tpl-button-link" to="/templates/new">
          New template
        </Link>
      }
    >
      <Panel
        title="All templates"
        loading={list.loading && !list.data}
        error={list.error}
        onRetry={list.reload}
        isEmpty={list.data?.length === 0}
        empty={
          <EmptyState title="No templates yet">
            <p>
              A template is the content of a message — an email, an SMS, a push notification, an agent task — with
              Liquid such as <code>{'{{ profile.first_name | default: "there" }}'}</code> filled in for each customer.
            </p>
            <p>
              <Link to="/templates/new">Create your first template</Link>, then use it in a journey’s message step.
            </p>
          </EmptyState>
        }
      >
        {sorted && (
          <TableWrap label="Template list">
            <table>
              <thead>
                <tr>
                  <th scope="col">Template</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Subject or title</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link to={`/templates/${encodeURIComponent(r.id)}`}>{r.body.name || r.id}</Link>
                      <span className="cell-note">
                        <code>{r.id}</code>
                      </span>
                    </th>
                    <td>{channelLabel(r.body.channel)}</td>
                    <td className="tpl-first-line">{r.body.subject ?? r.body.title ?? firstLine(r.body.body)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Panel>
    </Page>
  )
}

function firstLine(s: string | undefined): string {
  if (!s) return ''
  const line = s.split('\n')[0] ?? ''
  return line.length > 80 ? line.slice(0, 79) + '…' : line
}
