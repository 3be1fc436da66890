package main

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/url"
	"sync/atomic"
)

// statementProxy sits between a server and PostgreSQL and counts the
// statements the server sends: each simple Query ('Q') and each Execute
// ('E') of the extended protocol. The shared PostgreSQL of the benchmark
// machine has no pg_stat_statements (it needs shared_preload_libraries and a
// restart), and pg_stat_database's counters reach the statistics only when
// a backend has been idle for a while; the wire does not lie and does not
// lag. Only the statement-count pass goes through it (with a second server
// process of each kind), so that the timed rounds carry no proxy.
type statementProxy struct {
	listener   net.Listener
	upstream   string
	statements atomic.Int64
}

func newStatementProxy(upstream string) (*statementProxy, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &statementProxy{listener: l, upstream: upstream}
	go p.serve()
	return p, nil
}

func (p *statementProxy) addr() string { return p.listener.Addr().String() }

func (p *statementProxy) close() { p.listener.Close() }

func (p *statementProxy) serve() {
	for {
		c, err := p.listener.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *statementProxy) handle(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.upstream)
	if err != nil {
		return
	}
	defer server.Close()
	go func() {
		io.Copy(client, server)
		client.Close()
	}()
	p.forward(bufio.NewReader(client), server)
}

// Protocol codes of the untyped messages a client may send first.
const (
	sslRequest    = 80877103
	gssEncRequest = 80877104
	cancelRequest = 80877102
)

// forward copies the client's messages to the server, counting statements.
// The first messages have no type byte: SSL or GSS negotiation requests
// (answered by one byte the other direction), then the startup message.
func (p *statementProxy) forward(r *bufio.Reader, w io.Writer) {
	for {
		head := make([]byte, 8)
		if _, err := io.ReadFull(r, head); err != nil {
			return
		}
		n := int(binary.BigEndian.Uint32(head[:4]))
		code := binary.BigEndian.Uint32(head[4:])
		if _, err := w.Write(head); err != nil {
			return
		}
		if n > 8 {
			if _, err := io.CopyN(w, r, int64(n-8)); err != nil {
				return
			}
		}
		if code == cancelRequest {
			return
		}
		if code != sslRequest && code != gssEncRequest {
			break
		}
	}
	head := make([]byte, 5)
	for {
		if _, err := io.ReadFull(r, head); err != nil {
			return
		}
		if head[0] == 'Q' || head[0] == 'E' {
			p.statements.Add(1)
		}
		n := int(binary.BigEndian.Uint32(head[1:]))
		if _, err := w.Write(head); err != nil {
			return
		}
		if _, err := io.CopyN(w, r, int64(n-4)); err != nil {
			return
		}
	}
}

// viaProxy rewrites a postgres:// URL to connect through the proxy.
func viaProxy(databaseURL, proxyAddr string) (string, string, error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "", "", err
	}
	upstream := u.Host
	if u.Port() == "" {
		upstream = net.JoinHostPort(u.Hostname(), "5432")
	}
	u.Host = proxyAddr
	return u.String(), upstream, nil
}
