package event

// Bodies as the official SDKs send them (wire contract §7), with the trimmed
// parts filled in. They seed FuzzParse and drive the compatibility tests.
const (
	seedSegmentNode = `{"batch":[{"timestamp":"2026-11-23T08:35:22.405Z","integrations":{},"type":"identify",
  "userId":"u-123","traits":{"email":"pia@nto.example","name":"Pia"},"context":{"library":{"name":"@segment/analytics-node","version":"3.1.0"}},
  "anonymousId":"anon-1","messageId":"node-next-1795422922405-0a3b5c7e-1d2f-4e6a-9b8c-112233445566","_metadata":{"nodeVersion":"v20.20.2","jsRuntime":"node"}},
 {"timestamp":"2026-11-23T08:35:22.410Z","integrations":{},"type":"track","event":"Item Purchased","properties":{"revenue":39.95},
  "userId":"u-123","context":{"library":{"name":"@segment/analytics-node","version":"3.1.0"}},"anonymousId":"anon-1",
  "messageId":"node-next-1795422922410-5f1e2d3c-4b5a-4968-8776-aabbccddeeff","_metadata":{"nodeVersion":"v20.20.2","jsRuntime":"node"}},
 {"timestamp":"2026-11-23T08:35:22.415Z","integrations":{},"type":"alias","previousId":"anon-1","userId":"u-123",
  "context":{"library":{"name":"@segment/analytics-node","version":"3.1.0"}},
  "messageId":"node-next-1795422922415-99887766-5544-4332-8110-ffeeddccbbaa","_metadata":{"nodeVersion":"v20.20.2","jsRuntime":"node"}}],
 "writeKey":"SEG_NODE_WK","sentAt":"2026-11-23T08:35:22.425Z"}`

	seedSegmentGo = `{"messageId":"28ca1d6e-0f4b-4d8e-a7c2-8d0f3b9e6a11","sentAt":"2026-11-23T08:35:26.063595114Z",
 "batch":[{"type":"identify","messageId":"5976a0a4-3c1e-4c55-8d6f-0d0e1f2a3b4c","anonymousId":"anon-1","userId":"u-123",
   "timestamp":"2026-11-23T08:35:26.063159574Z","traits":{"email":"pia@nto.example"}},
  {"type":"track","messageId":"6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","anonymousId":"anon-1","userId":"u-123","event":"Item Purchased",
   "timestamp":"2026-11-23T08:35:26.063259574Z","properties":{"revenue":10}}],
 "context":{"library":{"name":"analytics-go","version":"3.0.0"}}}`

	seedRudderNode = `{"batch":[{"userId":"u-123","anonymousId":"anon-1","traits":{"email":"pia@nto.example"},
  "context":{"traits":{"email":"pia@nto.example"},"library":{"name":"analytics-node","version":"3.0.13"}},
  "type":"identify","channel":"server","_metadata":{"nodeVersion":"20.20.2"},
  "originalTimestamp":"2026-11-23T08:35:24.303Z","messageId":"2759a8b1-6c0d-4e2f-9a3b-4c5d6e7f8091","sentAt":"2026-11-23T08:35:24.307Z"}],
 "timestamp":"2026-11-23T08:35:24.307Z","sentAt":"2026-11-23T08:35:24.307Z"}`

	seedRudderGo = `{"batch":[{"type":"identify","messageId":"baee1f2a-3b4c-4d5e-8f60-718293a4b5c6","anonymousId":"anon-1","userId":"u-123",
  "originalTimestamp":"2026-11-23T08:35:27.387040489Z","sentAt":"2026-11-23T08:35:27.387517661Z",
  "context":{"library":{"name":"analytics-go","version":"4.2.1"}},"traits":{"email":"pia@nto.example"},"channel":"server"},
 {"type":"track","messageId":"c0ffee00-3b4c-4d5e-8f60-718293a4b5c6","anonymousId":"3f1e0c2a-rand","userId":"u-123","event":"Item Purchased",
  "originalTimestamp":"2026-11-23T08:35:27.388040489Z","sentAt":"2026-11-23T08:35:27.388517661Z",
  "context":{"library":{"name":"analytics-go","version":"4.2.1"}},"properties":{"revenue":10},"channel":"server"}]}`

	seedBrowserSingle = `{"timestamp":"2026-11-23T08:35:30.100Z","integrations":{"Segment.io":true},"type":"identify","userId":"u-123",
 "traits":{"email":"pia@nto.example"},
 "context":{"page":{"path":"/","url":"https://nto.example/"},"userAgent":"Mozilla/5.0","locale":"en-US","library":{"name":"analytics.js","version":"npm:next-1.84.3"}},
 "messageId":"ajs-next-1795422930100-c486f133-aaaa-4bbb-8ccc-dddddddddddd","anonymousId":"c486f133-1111-4222-8333-444444444444","writeKey":"AJS_WK","sentAt":"2026-11-23T08:35:30.105Z",
 "_metadata":{"bundled":["Segment.io"],"unbundled":[],"bundledIds":[]}}`

	seedBrowserBatch = `{"writeKey":"AJS_WK","batch":[{"timestamp":"2026-11-23T08:35:31.000Z","integrations":{"Segment.io":true},"type":"track",
  "event":"Product Viewed","properties":{"sku":"X1"},"context":{"library":{"name":"analytics.js","version":"npm:next-1.84.3"}},
  "messageId":"ajs-next-1795422931000-0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d","anonymousId":"c486f133-1111-4222-8333-444444444444","writeKey":"AJS_WK",
  "_metadata":{"bundled":["Segment.io"],"unbundled":[],"bundledIds":[]}}],"sentAt":"2026-11-23T08:35:31.200Z"}`
)

var seedBatches = map[string]string{
	"segment-node": seedSegmentNode,
	"segment-go":   seedSegmentGo,
	"rudder-node":  seedRudderNode,
	"rudder-go":    seedRudderGo,
	"browser-b":    seedBrowserBatch,
}
