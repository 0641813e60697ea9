package insight

import "context"

// Ahead is a batch of the feed read ahead, for tests outside the package.
type Ahead = ahead

// ReadAhead reads the first batch after the place (seq, ent) as Apply's
// reader does.
func (s *Service) ReadAhead(ctx context.Context, seq, ent int64) *Ahead {
	next := make(chan *ahead)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.readAhead(ctx, seq, ent, next)
	return <-next
}

// ApplyAhead applies one batch given pre and reports whether pre was used.
func (s *Service) ApplyAhead(ctx context.Context, pre *Ahead) (bool, error) {
	_, _, used, err := s.applyBatch(ctx, pre)
	return used, err
}
