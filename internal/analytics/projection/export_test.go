package projection

// SetColumnStep sets how many payloads one call reads for a column build.
func (p *Projection) SetColumnStep(n int) { p.colStep = n }
