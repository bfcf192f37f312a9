module github.com/cairn-cdp/cairn

go 1.26.8

require (
	github.com/jackc/pgx/v5 v5.12.0 // PostgreSQL backend: the maintained native driver and pool
	github.com/mattn/go-sqlite3 v1.14.53 // optional SQLite driver (-tags sqlite_mattn), kept for the driver measurement in docs/storage.md
	github.com/ncruces/go-sqlite3 v0.37.0 // default SQLite driver, pure Go; chosen by measurement (docs/storage.md)
	github.com/nyaruka/phonenumbers v1.8.1 // E.164 phone normalization (port of libphonenumber)
	github.com/prometheus/client_golang v1.25.0 // /metrics
	github.com/rudderlabs/analytics-go/v4 v4.2.1 // tests only: unmodified RudderStack Go SDK against the real binary
	github.com/segmentio/analytics-go/v3 v3.3.0 // tests only: unmodified Segment Go SDK against the real binary
	github.com/stretchr/testify v1.12.1 // tests only: require
	go.uber.org/goleak v1.3.0 // tests only: goroutine leak checks in packages that start workers
	golang.org/x/sync v0.25.0 // errgroup for the run group in app
	modernc.org/sqlite v1.62.0 // optional SQLite driver (-tags sqlite_modernc), kept for the driver measurement
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // seeded 64-bit hash of message ids in the log's dedupe index (already in the binary through client_golang)
	github.com/emersion/go-msgauth v0.7.0 // DKIM signing of outgoing email
	github.com/emersion/go-sasl v0.0.0-20241020182733-b788ff22d5a6 // tests only: SMTP AUTH in the in-process test server
	github.com/emersion/go-smtp v0.25.1 // tests only: the in-process SMTP server (emailtest) for real SMTP conversations
	github.com/osteele/liquid v1.6.0 // Liquid templates (the de facto Go implementation; Shopify-compatible)
	github.com/wneessen/go-mail v0.8.1 // SMTP client and MIME message building (STARTTLS, AUTH, multipart)
	go.yaml.in/yaml/v3 v3.0.5 // YAML forms of segment, journey and template definitions
	golang.org/x/time v0.16.0 // token-bucket rate limits per provider on explicit times
	gonum.org/v1/gonum v0.17.0 // analytics: optimizers (CLV maximum likelihood), distributions (experiments), linear solves
)

require (
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/dustin/go-humanize v1.1.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	github.com/kr/text v0.2.0 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/ncruces/go-sqlite3-wasm/v6 v6.5.35401 // indirect
	github.com/ncruces/go-strftime v1.1.0 // indirect
	github.com/ncruces/julianday v1.0.0 // indirect
	github.com/osteele/tuesday v1.0.3 // indirect
	github.com/prometheus/client_model v0.6.3 // indirect
	github.com/prometheus/common v0.72.0 // indirect
	github.com/prometheus/procfs v0.22.0 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	github.com/rogpeppe/go-internal v1.16.0 // indirect
	github.com/segmentio/backo-go v1.0.1 // indirect
	github.com/tidwall/gjson v1.14.4 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
	gopkg.in/yaml.v2 v2.4.0 // indirect
	modernc.org/libc v1.80.1 // indirect
	modernc.org/mathutil v1.7.1 // indirect
	modernc.org/memory v1.12.1 // indirect
)
