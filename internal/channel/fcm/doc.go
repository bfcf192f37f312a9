// Package fcm sends push notifications through the Firebase Cloud
// Messaging HTTP v1 API:
//
//	POST {BaseURL}/v1/projects/{project}/messages:send
//	Authorization: Bearer <OAuth 2.0 access token>
//	{"message":{"token":"...","notification":{"title":"...","body":"..."},"data":{...}}}
//
// which answers 200 with {"name":"projects/{project}/messages/{id}"}
// (https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send).
// Message.To is the registration token, Title and Text the notification,
// Data the data payload; a message without title and text is data-only.
//
// Errors are google.rpc.Status bodies whose details may hold a
// google.firebase.fcm.v1.FcmError errorCode
// (https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode,
// https://firebase.google.com/docs/cloud-messaging/error-codes). They are
// classified as:
//
//   - UNREGISTERED (404): permanent; IsUnregistered tells the caller to
//     drop the token.
//   - INVALID_ARGUMENT (400), SENDER_ID_MISMATCH (403): permanent.
//   - QUOTA_EXCEEDED (429), UNAVAILABLE (503), INTERNAL (500): temporary;
//     RetryAfter exposes the Retry-After header or google.rpc.RetryInfo.
//   - Credential trouble — UNAUTHENTICATED, PERMISSION_DENIED without an
//     FCM code, THIRD_PARTY_AUTH_ERROR, a failed token exchange — is
//     temporary: it says nothing about the recipient, and retrying helps
//     once an operator fixes the credentials. A 401 with a service-account
//     token drops the cached token and retries once at once.
//   - Other 4xx permanent, 408 and 5xx and network failures temporary.
//
// # Access tokens
//
// Config.AccessToken is used as it is, for tests and for deployments that
// refresh tokens themselves. Config.CredentialsJSON (a service-account key
// file) runs the OAuth 2.0 JWT-bearer flow
// (https://developers.google.com/identity/protocols/oauth2/service-account):
// an RS256-signed JWT {iss: client_email, scope: firebase.messaging, aud:
// token URI, iat, exp: iat+1h} is POSTed as grant_type
// urn:ietf:params:oauth:grant-type:jwt-bearer to the token URI, and the
// access token is cached until a minute before it expires, on the injected
// clock. Only the standard library's crypto is used.
//
// # Delivery guarantee
//
// FCM has no idempotency key and no way to ask whether a message was
// accepted, so no channel.Reconciler is possible: a crash between FCM's
// answer and Cairn recording it makes the dispatcher send the push again.
// Push is at-least-once; a rare duplicate notification is the price.
// Config.CollapseRepeats softens it: notifications are tagged with a digest
// of the send key, so Android, iOS and browsers replace a repeat instead of
// showing it twice (a data-only message is still handled twice).
//
// Sub-package fcmtest is a local FCM and OAuth token endpoint for tests.
package fcm
