import { refPath, type ApiClient } from '../../api'

/** A send to the customer with what they did with it (GET /v1/profiles/{ref}/messages). */
export interface Message {
  key: string
  journey_id?: string
  node_id?: string
  channel: string
  template_id?: string
  status: string
  reason?: string
  to?: string
  created_at: string
  sent_at?: string
  engagements: Array<{ type: string; at: string; data?: string }>
}

export async function profileMessages(api: ApiClient, ref: string, signal?: AbortSignal): Promise<Message[]> {
  const res = await api.request<{ messages: Message[] }>(`${refPath(ref)}/messages`, { query: { limit: '50' }, signal })
  return res.messages
}

/** Everything held about the customer, as the JSON file GET /v1/profiles/{ref}/export answers. */
export async function exportProfile(api: ApiClient, ref: string): Promise<Blob> {
  const res = await api.respond(`${refPath(ref)}/export`)
  return res.blob()
}

/** What an erasure removed (DELETE /v1/profiles/{ref}). */
export interface Erasure {
  profile_ids: string[]
  identifiers: number
  events: number
}

export function eraseProfile(api: ApiClient, ref: string): Promise<Erasure> {
  return api.request<Erasure>(refPath(ref), { method: 'DELETE' })
}
