module github.com/cairn-cdp/cairn

go 1.26.8
