package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/errcode"
	"yanzhen/pii"
)

// authenticate resolves the bearer token of each request (one query; no
// token, no query) and puts the viewer in the request context. A missing,
// unknown, expired or revoked token makes the request anonymous: anonymous
// callers read regions and institutions and may sign in, nothing else.
func authenticate(db *database.DB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth.FromContext(r.Context()) != nil {
			next.ServeHTTP(w, r) // authenticated earlier in the chain (uploadsNeedARole)
			return
		}
		v, err := accounts.Authenticate(r.Context(), db.Client, auth.BearerToken(r.Header.Get("Authorization")))
		if err != nil {
			slog.ErrorContext(r.Context(), "resolving a session", "error", err)
			writeError(w, http.StatusServiceUnavailable, errcode.Internal, "the database is unavailable; try again shortly / 数据库暂时不可用，请稍后再试")
			return
		}
		if v == nil {
			v = &auth.Viewer{}
		}
		v.ClientIP = clientIP(r)
		if info := requestInfoFrom(r.Context()); info != nil {
			v.RequestID = info.id
		}
		next.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), v)))
	})
}

// uploadsNeedARole authenticates a multipart POST — an upload: the roster
// import is the one operation that takes a file — from its headers, and
// refuses it before a byte of its body is read unless the viewer may
// import: an admin or a township user. Anonymous callers get 401
// UNAUTHENTICATED, other users 403 FORBIDDEN, and the connection is closed
// rather than drained. Whether the regions the roster names lie in the
// viewer's scope is known only from the file: roster.Import checks it.
func uploadsNeedARole(db *database.DB, next http.Handler) http.Handler {
	gate := authenticate(db, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := auth.FromContext(r.Context())
		if v.Is(auth.RoleAdmin, auth.RoleTownship) {
			next.ServeHTTP(w, r)
			return
		}
		status := http.StatusForbidden
		if v.Anonymous() {
			status = http.StatusUnauthorized
		}
		e, _ := errcode.As(auth.Deny(v))
		w.Header().Set("Connection", "close")
		writeError(w, status, e.Code, e.Message())
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && isMultipart(r) {
			gate.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clientIP is the peer address. X-Forwarded-For is not trusted: a proxy in
// front must rate-limit logins itself or be configured to pass the address.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// configureAuth reads the data key that encrypts ID numbers
// (YANZHEN_DATA_KEY, base64 of 32 bytes).
// Without a key, the embedded SQLite database keeps one in data.key beside
// the database file (mode 0600, created on first start); PostgreSQL refuses
// to start, since a key lost with a container would make the data
// unreadable.
func configureAuth(cfg Config) error {
	if v := os.Getenv("YANZHEN_DATA_KEY"); v != "" {
		key, err := pii.ParseDataKey(v)
		if err != nil {
			return fmt.Errorf("YANZHEN_DATA_KEY: %v", err)
		}
		return pii.SetDataKey(key)
	}
	if pii.HasDataKey() {
		return nil // installed earlier in this process (a test's fixed key)
	}
	path := sqliteKeyFile(cfg.DatabaseURL)
	if path == "" {
		return errors.New("YANZHEN_DATA_KEY is not set: PostgreSQL needs the data key that encrypts ID numbers " +
			"(base64 of 32 random bytes, e.g. `openssl rand -base64 32`); keep it safe, the data cannot be read without it")
	}
	return loadKeyFile(path)
}

// sqliteKeyFile is where an SQLite database keeps its data key: data.key in
// the database's directory; "" for PostgreSQL.
func sqliteKeyFile(url string) string {
	switch {
	case url == "":
		return filepath.Join(filepath.Dir(database.DefaultSQLitePath), "data.key")
	case strings.HasPrefix(url, "sqlite:"):
		p := strings.TrimPrefix(url, "sqlite:")
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		return filepath.Join(filepath.Dir(strings.TrimPrefix(p, "file:")), "data.key")
	case strings.HasSuffix(url, ".db"):
		return filepath.Join(filepath.Dir(url), "data.key")
	}
	return ""
}

func loadKeyFile(path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("creating the data key %s: %w", path, err)
		}
		key := pii.NewDataKey()
		if _, err := f.WriteString(key + "\n"); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		slog.Info("created the data key that encrypts ID numbers; back it up with the database", "path", path)
		b = []byte(key)
	} else if err != nil {
		return fmt.Errorf("reading the data key %s: %w", path, err)
	}
	key, err := pii.ParseDataKey(string(b))
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return pii.SetDataKey(key)
}

// encryptIDNumbers encrypts ID numbers stored in clear by an earlier
// version (and fills their keyed hash), so that upgrading keeps the data
// readable. It runs at every start and does nothing once all are sealed.
func encryptIDNumbers(ctx context.Context, db *database.DB) (int, error) {
	rows, err := db.SQL.QueryContext(ctx, `SELECT id, id_number FROM persons WHERE id_number IS NOT NULL AND id_number <> '' AND id_number NOT LIKE 'v1:%'`)
	if err != nil {
		return 0, err
	}
	type clear struct {
		id  int64
		num string
	}
	var todo []clear
	for rows.Next() {
		var c clear
		var num sql.NullString
		if err := rows.Scan(&c.id, &num); err != nil {
			rows.Close()
			return 0, err
		}
		c.num = num.String
		todo = append(todo, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return 0, err
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, c := range todo {
		sealed, err := pii.Encrypt(c.num)
		if err != nil {
			return 0, err
		}
		hash, err := pii.HashIDNumber(c.num)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE persons SET id_number = $1, id_number_hash = $2 WHERE id = $3`, sealed, hash, c.id); err != nil {
			return 0, err
		}
	}
	return len(todo), tx.Commit()
}
