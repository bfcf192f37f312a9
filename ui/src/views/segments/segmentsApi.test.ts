import { describe, expect, it } from 'vitest'
import { ApiClient } from '../../api'
import { mockFetch } from '../../test/fetchMock'
import {
  createSegment,
  deleteSegment,
  getSegment,
  previewSegment,
  segmentHistory,
  segmentMembers,
  segmentMembersCsv,
  segmentVersions,
  updateSegment,
} from './segmentsApi'

describe('segments API', () => {
  it('calls each route with the CSRF token on writes and the definition form as given', async () => {
    const calls = mockFetch({
      'POST /v1/console/session': { body: { csrf: 'c1', expires_at: '' } },
      'POST /v1/segments': { status: 201, body: { id: 'seg_1' } },
      'PUT /v1/segments/seg 1': { body: { id: 'seg 1' } },
      'GET /v1/segments/seg 1': { body: { id: 'seg 1' } },
      'DELETE /v1/segments/seg_1': { status: 204 },
      'GET /v1/segments/seg_1/versions': { body: { versions: [{ version: 1 }] } },
      'POST /v1/segments/preview': { body: { estimated_size: 3 } },
      'GET /v1/segments/seg_1/members': { body: { members: [] } },
      'GET /v1/segments/seg_1/history': { body: { history: [] } },
    })
    const api = new ApiClient()
    await api.signIn('t')
    await createSegment(api, { name: 'A', definition: { everyone: true } })
    await updateSegment(api, 'seg 1', { name: 'A', description: '', text: 'everyone' })
    await getSegment(api, 'seg 1')
    await deleteSegment(api, 'seg_1')
    expect(await segmentVersions(api, 'seg_1')).toEqual([{ version: 1 }])
    expect(await previewSegment(api, { text: 'everyone' })).toEqual({ estimated_size: 3 })
    await segmentMembers(api, 'seg_1', { cursor: 'p_9', limit: 50 })
    await segmentHistory(api, 'seg_1', { bucket: 'hour' })

    const [, create, update, get, del, , prev, mem, hist] = calls
    expect(create?.body).toEqual({ name: 'A', definition: { everyone: true } })
    expect(create?.headers['X-CSRF-Token']).toBe('c1')
    expect(update?.method).toBe('PUT')
    expect(update?.url.pathname).toBe('/v1/segments/seg%201')
    expect(update?.body).toEqual({ name: 'A', description: '', text: 'everyone' })
    expect(get?.headers['X-CSRF-Token']).toBeUndefined()
    expect(del?.method).toBe('DELETE')
    expect(del?.headers['X-CSRF-Token']).toBe('c1')
    expect(prev?.body).toEqual({ text: 'everyone' })
    expect(prev?.headers['X-CSRF-Token']).toBe('c1')
    expect(mem?.url.search).toBe('?cursor=p_9&limit=50')
    expect(hist?.url.search).toBe('?bucket=hour')
  })

  it('downloads the members as CSV, named by the server or after the segment', async () => {
    mockFetch({ 'GET /v1/segments/seg_1/members.csv': { body: 'x' } })
    const file = await segmentMembersCsv(new ApiClient(), 'seg_1')
    expect(file.filename).toBe('seg_1-members.csv')
    expect(await file.blob.text()).toBe('"x"')
  })
})
