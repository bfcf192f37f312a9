// Package fcmtest is a local Firebase Cloud Messaging for tests: an
// httptest server implementing the HTTP v1 messages:send endpoint (bearer
// auth, the documented message validation, a registry of device tokens
// where an unknown token is UNREGISTERED, google.rpc.Status errors with
// FcmError details) and the Google OAuth 2.0 token endpoint of the
// service-account JWT-bearer grant, which verifies the RS256 assertion
// against the test key it hands out.
//
// References:
//   - https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send
//   - https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode
//   - https://firebase.google.com/docs/cloud-messaging/error-codes
//   - https://developers.google.com/identity/protocols/oauth2/service-account
package fcmtest
