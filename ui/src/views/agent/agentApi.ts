import type { ApiClient } from '../../api'
import { profileMessages, type Message } from '../profile/profileActionsApi'

/** A call-center task of the customer that is not completed yet. */
export interface OpenTask {
  key: string
  journey_id?: string
  created_at: string
  claimed_by?: string
}

/**
 * The customer's open tasks: their sends on the task channel without a
 * "completed" engagement ("claimed" carries the agent).
 */
export function openTasks(messages: Message[]): OpenTask[] {
  return messages
    .filter((m) => m.channel === 'task' && m.status === 'sent' && !m.engagements.some((e) => e.type === 'completed'))
    .map((m) => ({
      key: m.key,
      journey_id: m.journey_id,
      created_at: m.created_at,
      claimed_by: m.engagements.find((e) => e.type === 'claimed')?.data,
    }))
}

export async function customerTasks(api: ApiClient, profileId: string, signal?: AbortSignal): Promise<OpenTask[]> {
  return openTasks(await profileMessages(api, profileId, signal))
}
