package demo

import (
	"strconv"
)

const maxDepth = 16

// jsonWriter appends JSON to a byte slice with comma bookkeeping, so events are
// written without reflection or intermediate maps. Keys are trusted ASCII
// constants; string values are escaped.
type jsonWriter struct {
	b        []byte
	depth    int
	first    [maxDepth]bool
	afterKey bool
}

func (w *jsonWriter) reset(b []byte) {
	w.b = b[:0]
	w.depth = 0
	w.first[0] = true
	w.afterKey = false
}

func (w *jsonWriter) sep() {
	if w.afterKey {
		w.afterKey = false
		return
	}
	if w.first[w.depth] {
		w.first[w.depth] = false
		return
	}
	w.b = append(w.b, ',')
}

func (w *jsonWriter) open(c byte) {
	w.sep()
	w.b = append(w.b, c)
	w.depth++
	w.first[w.depth] = true
}

func (w *jsonWriter) obj()    { w.open('{') }
func (w *jsonWriter) arr()    { w.open('[') }
func (w *jsonWriter) endObj() { w.b = append(w.b, '}'); w.depth-- }
func (w *jsonWriter) endArr() { w.b = append(w.b, ']'); w.depth-- }

// key writes "k": ; the next value follows without a comma.
func (w *jsonWriter) key(k string) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
	w.afterKey = true
}

// keyObj opens an object under key k.
func (w *jsonWriter) keyObj(k string) { w.key(k); w.obj() }

// keyArr opens an array under key k.
func (w *jsonWriter) keyArr(k string) { w.key(k); w.arr() }

func (w *jsonWriter) str(s string) {
	w.sep()
	w.b = appendQuoted(w.b, s)
}

func (w *jsonWriter) strBytes(s []byte) {
	w.sep()
	w.b = appendQuotedBytes(w.b, s)
}

func (w *jsonWriter) int(v int64) {
	w.sep()
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *jsonWriter) float(v float64, prec int) {
	w.sep()
	w.b = strconv.AppendFloat(w.b, v, 'f', prec, 64)
}

// money writes an amount in cents as a decimal number with two fraction digits.
func (w *jsonWriter) money(cents int64) {
	w.sep()
	w.b = appendMoney(w.b, cents)
}

func (w *jsonWriter) boolean(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
}

// timestamp writes ms (Unix milliseconds) as an RFC 3339 UTC string.
func (w *jsonWriter) timestamp(ms int64) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = appendTimestamp(w.b, ms)
	w.b = append(w.b, '"')
}

func (w *jsonWriter) kStr(k, v string)                     { w.key(k); w.str(v) }
func (w *jsonWriter) kBytes(k string, v []byte)            { w.key(k); w.strBytes(v) }
func (w *jsonWriter) kInt(k string, v int64)               { w.key(k); w.int(v) }
func (w *jsonWriter) kMoney(k string, v int64)             { w.key(k); w.money(v) }
func (w *jsonWriter) kBool(k string, v bool)               { w.key(k); w.boolean(v) }
func (w *jsonWriter) kFloat(k string, v float64, prec int) { w.key(k); w.float(v, prec) }
func (w *jsonWriter) kTime(k string, ms int64)             { w.key(k); w.timestamp(ms) }

func appendMoney(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = strconv.AppendInt(b, cents/100, 10)
	c := cents % 100
	return append(b, '.', byte('0'+c/10), byte('0'+c%10))
}

const hexDigits = "0123456789abcdef"

func needsEscape(c byte) bool { return c < 0x20 || c == '"' || c == '\\' }

func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !needsEscape(c) {
			continue
		}
		b = append(b, s[start:i]...)
		b = appendEscape(b, c)
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendQuotedBytes(b []byte, s []byte) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !needsEscape(c) {
			continue
		}
		b = append(b, s[start:i]...)
		b = appendEscape(b, c)
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '"':
		return append(b, '\\', '"')
	case '\\':
		return append(b, '\\', '\\')
	case '\n':
		return append(b, '\\', 'n')
	case '\t':
		return append(b, '\\', 't')
	case '\r':
		return append(b, '\\', 'r')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// appendTimestamp writes Unix milliseconds as YYYY-MM-DDTHH:MM:SS.mmmZ.
func appendTimestamp(b []byte, ms int64) []byte {
	secs := floorDiv(ms, 1000)
	milli := ms - secs*1000
	days := floorDiv(secs, 86400)
	rem := secs - days*86400
	y, m, d := civilFromDays(days)
	b = append4(b, y)
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	b = append2(b, d)
	b = append(b, 'T')
	b = append2(b, int(rem/3600))
	b = append(b, ':')
	b = append2(b, int(rem%3600/60))
	b = append(b, ':')
	b = append2(b, int(rem%60))
	b = append(b, '.', byte('0'+milli/100), byte('0'+milli/10%10), byte('0'+milli%10), 'Z')
	return b
}

// appendDate writes Unix milliseconds as YYYY-MM-DD (UTC).
func appendDate(b []byte, ms int64) []byte {
	y, m, d := civilFromDays(floorDiv(floorDiv(ms, 1000), 86400))
	b = append4(b, y)
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	return append2(b, d)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// civilFromDays converts days since 1970-01-01 to a proleptic Gregorian date
// (Howard Hinnant's algorithm).
func civilFromDays(z int64) (year, month, day int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), int(m), int(d)
}

func append2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10%10), byte('0'+v%10))
}

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000%10), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendUUID writes a version-4-shaped UUID built from two 64-bit hashes.
func appendUUID(b []byte, hi, lo uint64) []byte {
	hi = hi&^(0xf<<12) | 0x4<<12 // version 4
	lo = lo&^(0x3<<62) | 0x2<<62 // RFC 4122 variant
	var raw [16]byte
	for i := range 8 {
		raw[i] = byte(hi >> (56 - 8*i))
		raw[8+i] = byte(lo >> (56 - 8*i))
	}
	for i, c := range raw {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}

// appendHex writes v as n lower-case hex digits (n <= 16).
func appendHex(b []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		b = append(b, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return b
}

// appendPadded writes v in decimal, left-padded with zeros to width.
func appendPadded(b []byte, v int64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// rawStrStart opens a string value whose (already safe) bytes the caller
// appends to w.b; rawStrEnd closes it.
func (w *jsonWriter) rawStrStart() { w.sep(); w.b = append(w.b, '"') }
func (w *jsonWriter) rawStrEnd()   { w.b = append(w.b, '"') }
