import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api'
import { demo } from './fixtures'
import { buildBody, draftFrom, emptyDraft, errorFields, validateDraft } from './templatesApi'

describe('buildBody', () => {
  it('round-trips the demo templates of every channel', () => {
    for (const id of ['welcome', 'first-order-coupon', 'app-welcome', 'winback-call']) {
      expect(buildBody(draftFrom(demo(id)))).toEqual(demo(id))
    }
  })

  it('keeps only the parts the channel allows', () => {
    const d = emptyDraft('sms')
    d.id = 'x'
    d.parts = { subject: 'S', html: '<p>h</p>', text: 't', title: 'T', body: 'Hi {{ profile.first_name }}' }
    expect(buildBody(d)).toEqual({ id: 'x', channel: 'sms', body: 'Hi {{ profile.first_name }}' })
    d.channel = 'email'
    expect(buildBody(d)).toEqual({ id: 'x', channel: 'email', subject: 'S', html: '<p>h</p>', text: 't' })
    d.channel = 'push'
    d.map = '{"screen": "offers"}'
    expect(buildBody(d)).toEqual({ id: 'x', channel: 'push', title: 'T', body: 'Hi {{ profile.first_name }}', data: { screen: 'offers' } })
    d.channel = 'webhook'
    d.map = '{"X-Campaign": "w"}'
    expect(buildBody(d)).toEqual({ id: 'x', channel: 'webhook', body: 'Hi {{ profile.first_name }}', headers: { 'X-Campaign': 'w' } })
  })
})

describe('validateDraft', () => {
  it('names the missing parts per channel', () => {
    const d = emptyDraft('email')
    expect(validateDraft(d, true)).toMatchObject({ id: expect.any(String), subject: expect.any(String), html: expect.any(String) })
    d.channel = 'push'
    d.map = '[1]'
    expect(validateDraft(d, false)).toEqual({ body: expect.any(String), map: expect.any(String) })
  })
})

describe('errorFields', () => {
  it('finds the part of a render error and of validation problems', () => {
    const render = new ApiError(422, { code: 'render_failed', message: 'render html: line 1: undefined variable profile.nickname' })
    expect(errorFields(render)).toEqual({ html: 'render html: line 1: undefined variable profile.nickname' })
    const invalid = new ApiError(400, { code: 'bad_request', message: 'invalid template: subject: required; data.x: bad', field: 'body' })
    expect(errorFields(invalid)).toEqual({ subject: 'subject: required', map: 'data.x: bad' })
  })
})
