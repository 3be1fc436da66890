package database_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"yanzhen/database"
)

// A PostgreSQL host that accepts connections but never answers (a hung
// server, a dropped route) costs a request DefaultConnectTimeout, not the
// operating system's minutes: Open adds connect_timeout to a URL without it.
func TestConnectTimeoutOnASilentHost(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c) // read nothing, answer nothing
			mu.Unlock()
		}
	}()
	defer func() {
		ln.Close()
		mu.Lock()
		for _, c := range held {
			c.Close()
		}
		mu.Unlock()
	}()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	db, err := database.Open(ctx, "postgres://yanzhen@"+ln.Addr().String()+"/yanzhen?sslmode=disable", database.Options{})
	took := time.Since(start)
	if err == nil {
		db.Close()
		t.Fatal("opened a database on a host that never answers")
	}
	t.Logf("gave up after %v: %v", took.Round(time.Millisecond), err)
	if took > database.DefaultConnectTimeout+2*time.Second {
		t.Fatalf("took %v; connect_timeout is %v", took, database.DefaultConnectTimeout)
	}
}
