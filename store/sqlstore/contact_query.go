package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"careflow/store"
)

// QueryContacts implements store.ContactStore: the query becomes SQL (see qlPred) and the
// database returns, by ascending ID, the contacts it may match, with whether it surely does.
func (s *Store) QueryContacts(ctx context.Context, workspaceID int64, cq store.ContactQuery) ([]store.ContactCandidate, error) {
	if cq.Query == nil || cq.Query.Resolver() == nil {
		return nil, fmt.Errorf("query contacts: the query must be parsed with the workspace's assets")
	}
	b := &qlBuilder{pg: s.Dialect.Name == "postgres", uc: s.uc(), q: cq.Query, groups: cq.Groups}
	b.ws = b.typed(workspaceID, "bigint")
	after := b.typed(cq.AfterID, "bigint")
	p := b.node(cq.Query.Root())
	// SQLite would otherwise read the workspace's contacts through an index on workspace_id
	// and sort them all by ID; by ID, it stops at the limit (and indexed conditions still
	// look their contacts up by ID).
	ws := `contacts.workspace_id`
	if !b.pg {
		ws = `+` + ws
	}
	var sb strings.Builder
	sb.WriteString(`SELECT contacts.id, ` + p.sure + ` FROM contacts WHERE ` + ws + ` = ` + b.ws + ` AND contacts.id > ` + after)
	if cq.Active {
		sb.WriteString(` AND contacts.status = 'active'`)
	}
	sb.WriteString(` AND ` + p.maybe + ` ORDER BY contacts.id`)
	if cq.Limit > 0 {
		sb.WriteString(` LIMIT ` + b.typed(int64(cq.Limit), "bigint"))
	}
	rows, err := s.DB.QueryContext(ctx, sb.String(), b.args...)
	out, err := collect(rows, err, func(r *sql.Rows) (store.ContactCandidate, error) {
		var c store.ContactCandidate
		return c, r.Scan(&c.ID, &c.Sure)
	})
	if err != nil {
		return nil, fmt.Errorf("query contacts: %w", err)
	}
	return out, nil
}
