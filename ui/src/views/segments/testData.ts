// Fixtures of the Segments tests.

import type { Segment } from '../../api'
import type { PreviewResult, SegmentDetail } from './types'

export const vipRef: Segment = {
  id: 'seg_vip',
  name: 'VIP',
  version: 1,
  text: 'aggregate sum revenue of "Order Completed" >= 1000',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  status: 'live',
}

export const buyers: SegmentDetail = {
  id: 'seg_buyers',
  name: 'Recent buyers',
  description: 'Bought in the last 30 days',
  version: 2,
  definition: { performed: { event: 'Order Completed', window: { within: '30d' } } },
  text: 'performed "Order Completed" within 30d',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-02-01T00:00:00Z',
  status: 'live',
  size: 1234,
}

export const preview: PreviewResult = {
  evaluated: 1000,
  matched: 120,
  total_profiles: 5000,
  estimated_size: 600,
  sample_members: ['p_1', 'p_2'],
  at: '2026-03-01T00:00:00Z',
}
