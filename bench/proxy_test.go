package main

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"net"
	"reflect"
	"testing"
	"time"
)

func message(typ byte, body string) []byte {
	b := []byte{typ, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[1:], uint32(4+len(body)))
	return append(b, body...)
}

func untyped(code uint32, body string) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint32(b, uint32(8+len(body)))
	binary.BigEndian.PutUint32(b[4:], code)
	return append(b, body...)
}

// The proxy counts simple queries and executes, whatever else passes, and
// forwards every byte.
func TestStatementProxyCountsQueriesAndExecutes(t *testing.T) {
	upstream, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer upstream.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := upstream.Accept()
		if err != nil {
			return
		}
		b, _ := io.ReadAll(c)
		got <- b
	}()
	p, err := newStatementProxy(upstream.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	c, err := net.Dial("tcp", p.addr())
	if err != nil {
		t.Fatal(err)
	}
	var sent []byte
	for _, m := range [][]byte{
		untyped(sslRequest, ""),
		untyped(196608, "user\x00postgres\x00database\x00db\x00\x00"),
		message('p', "password\x00"),
		message('Q', "SELECT 1\x00"),
		message('P', "\x00SELECT $1\x00\x00\x00"), message('B', "\x00\x00\x00\x00\x00\x00\x00\x00"), message('D', "P\x00"), message('E', "\x00\x00\x00\x00\x00"), message('S', ""),
		message('P', "\x00SELECT 2\x00\x00\x00"), message('B', "\x00\x00\x00\x00\x00\x00\x00\x00"), message('E', "\x00\x00\x00\x00\x00"), message('S', ""),
		message('Q', "BEGIN; SELECT 3; COMMIT\x00"), // one round trip
		message('X', ""),
	} {
		sent = append(sent, m...)
	}
	if _, err := c.Write(sent); err != nil {
		t.Fatal(err)
	}
	c.Close()
	select {
	case b := <-got:
		if !reflect.DeepEqual(b, sent) {
			t.Fatalf("forwarded %d bytes, sent %d: not the same", len(b), len(sent))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nothing forwarded")
	}
	if n := p.statements.Load(); n != 4 {
		t.Fatalf("counted %d statements, want 4 (2 Q, 2 E)", n)
	}
}

// Yanzhen's edges and PostGraphile's nodes of the same rows compare equal;
// a different order does not.
func TestReshapeComparesConnectionsByNodes(t *testing.T) {
	yz, _ := reshape(json.RawMessage(`{"node":{"name":"a","posts":{"edges":[{"node":{"role":"X"}},{"node":{"role":"Y"}}]}}}`))
	pg, _ := reshape(json.RawMessage(`{"node":{"name":"a","posts":{"nodes":[{"role":"X"},{"role":"Y"}]}}}`))
	if !reflect.DeepEqual(yz, pg) {
		t.Fatalf("%v != %v", yz, pg)
	}
	swapped, _ := reshape(json.RawMessage(`{"node":{"name":"a","posts":{"nodes":[{"role":"Y"},{"role":"X"}]}}}`))
	if reflect.DeepEqual(yz, swapped) {
		t.Fatal("rows in another order compare equal")
	}
}
