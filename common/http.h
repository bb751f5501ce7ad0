/* http: many HTTP(S) transfers at once through libcurl's multi interface,
 * driven by the shared poll loop (CURLMOPT_SOCKETFUNCTION and
 * CURLMOPT_TIMERFUNCTION feeding curl_multi_socket_action; STYLE habit 12).
 * Each transfer is pinned to one address with CURLOPT_CONNECT_TO, so the
 * Host header and the TLS SNI stay the name while the address is ours to
 * choose, and each gets a fresh connection of its own: a transfer over
 * IPv6 never borrows the IPv4 one. Proxies from the environment are never
 * used; only http_opts.proxy is.
 *
 * What a transfer records is what an operator needs to tell the failures
 * apart: no connection (refused, unreachable with the kernel's reason,
 * timed out), TLS refused or not verified (with the certificate seen), a
 * TLS handshake that never finished, a response that started and then
 * stopped ("stalled after N of M bytes", the mark of a Path MTU Discovery
 * blackhole), a response that breaks HTTP (header lines without end, a
 * broken chunked body), or a complete response with its status, size,
 * digest and timing phases.
 *
 * A stall is no byte for the stall time (http_opts.stall_ms, else
 * HTTP_STALL_DEFAULT_MS). A transfer that the run's deadline cuts while it
 * is still moving is not a stall: it is HTTP_FAIL_DEADLINE ("still
 * receiving at N KB/s when -t ran out"), a timeout rather than a finding
 * about the site. */
#ifndef V6OPS_HTTP_H
#define V6OPS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "loop.h"

#define HTTP_BODY_CAP_DEFAULT                                                  \
	(4u << 20)	   /* bytes of body kept for searching                 \
			    */
#define HTTP_DIGEST_LEN 32 /* SHA-256 */
/* No byte for this long is a stall when the caller set no stall time. */
#define HTTP_STALL_DEFAULT_MS 2000
/* Response header bytes beyond this are a header flood: no real server
 * sends that much before the body. */
#define HTTP_HEADER_CAP (64u << 10)

enum http_version {
	HTTP_VERSION_ANY = 0,
	HTTP_VERSION_1_0,
	HTTP_VERSION_1_1,
	HTTP_VERSION_2,
};

/* Shared by every transfer of a run; the strings must outlive them. */
struct http_opts {
	const char *method;	    /* NULL: GET (POST when post is set) */
	const char *post;	    /* request body, or NULL */
	const char *const *headers; /* "Name: value" lines */
	size_t nheaders;
	const char *user_agent;	 /* NULL: "v6ops-plugins/VERSION" */
	const char *ca_file;	 /* NULL: the system store */
	const char *client_cert; /* PEM client certificate, or NULL */
	const char *client_key;	 /* its PEM private key (NULL: in the cert) */
	const char *userpwd;	 /* "user:password" for basic auth, or NULL */
	/* the local address to send from per family (literals), or NULL;
	 * the interface to send through, or NULL */
	const char *source4, *source6, *iface;
	bool insecure;	   /* skip certificate and name verification */
	const char *proxy; /* NULL: direct, whatever http_proxy says */
	enum http_version version;
	size_t body_cap; /* 0: HTTP_BODY_CAP_DEFAULT */
	long stall_ms;	 /* > 0: abort when no byte arrives for this long;
			    0: HTTP_STALL_DEFAULT_MS, only to judge a
			    transfer the deadline cut */
};

/* Why a transfer did not deliver a complete response. */
enum http_fail {
	HTTP_FAIL_NONE = 0, /* a complete response (any status) */
	/* REFUSED .. CONNECT: no connection (kept together, in this order) */
	HTTP_FAIL_REFUSED,     /* TCP RST to the SYN */
	HTTP_FAIL_UNREACHABLE, /* ICMP unreachable, no route: see os_errno */
	HTTP_FAIL_CONNECT_TIMEOUT, /* no answer to the SYN */
	HTTP_FAIL_CONNECT,	   /* any other failure to connect */
	HTTP_FAIL_TLS,		/* handshake refused or certificate rejected */
	HTTP_FAIL_TLS_STALLED,	/* connected, handshake never finished */
	HTTP_FAIL_NO_RESPONSE,	/* request sent, not one byte came back */
	HTTP_FAIL_STALLED,	/* headers or part of the body, then nothing */
	HTTP_FAIL_CUT,		/* the server closed or reset mid-response */
	HTTP_FAIL_HEADER_FLOOD, /* header lines beyond HTTP_HEADER_CAP */
	HTTP_FAIL_CHUNKED,	/* a chunked body that breaks its framing */
	HTTP_FAIL_DEADLINE,	/* still moving when the run's deadline cut it:
				   see deadline_phase */
	HTTP_FAIL_OTHER,	/* anything else; error holds curl's words */
};

/* How far a transfer had come. */
enum http_phase {
	HTTP_PHASE_CONNECT = 0, /* the SYN not yet answered */
	HTTP_PHASE_TLS,		/* the TLS handshake */
	HTTP_PHASE_WAIT,	/* request sent, no byte of the response */
	HTTP_PHASE_RECEIVE,	/* the response coming in */
};

/* The server certificate (depth 0) as the TLS handshake showed it, whether
 * or not it was accepted. */
struct http_tls {
	bool seen;
	char subject[160]; /* RFC 2253: "CN=www.example.com,O=Example" */
	char issuer[160];
	char san[256];	 /* "DNS:a,DNS:b,IP:192.0.2.1" */
	char serial[68]; /* hex */
	time_t not_after;
	bool chain_ok;	       /* OpenSSL's chain verification passed */
	char verify_error[96]; /* its first complaint, e.g. "certificate has
				  expired" */
	int verify_depth; /* where that complaint was (0: the server's own) */
};

struct http_xfer {
	/* set by the caller before http_start() */
	const char *url; /* with the name: "https://www.example.com/" */
	struct sockaddr_storage addr; /* the address to use; port from url */
	const struct http_opts *o;
	void (*on_done)(struct http_xfer *x, void *arg); /* may be NULL */
	void *arg;
	/* results, valid once done */
	bool done;
	enum http_fail fail;
	int curl_code;	 /* CURLcode */
	char error[256]; /* curl's message when curl_code != 0 */
	int os_errno;	 /* errno of a failed connect, else 0 */
	long status;	 /* HTTP status, 0 before headers arrived */
	char reason[64]; /* the status line's reason phrase */
	long long header_bytes;
	long long body_bytes;	  /* received, whether kept or not */
	long long content_length; /* -1: not announced */
	char *body;		  /* NUL-terminated, at most body_cap bytes */
	size_t body_len, body_alloc;
	bool body_truncated;		       /* body_bytes > body_len */
	unsigned char digest[HTTP_DIGEST_LEN]; /* SHA-256 of the whole body */
	char location[512]; /* absolute redirect target of a 3xx, or "" */
	/* seconds from the start: connected, TLS done, first byte, total;
	 * 0 when the phase was not reached */
	double t_connect, t_tls, t_first_byte, t_total;
	struct http_tls tls;
	/* HTTP_FAIL_DEADLINE: where the deadline found it, and the rate of
	 * the body (bytes a second since the first byte, 0 before) */
	enum http_phase deadline_phase;
	double rate_Bps;
	/* private */
	void *easy;
	struct http_ctx *ctx;
	void *md;
	void *hdrs;
	void *connect_to;
	double started_s, last_byte_s;
	bool tcp_up, tls_hello_sent, tls_answered, request_sent;
	bool stall_abort, header_flood;
	long long header_seen;
	double first_rx_s;
};

struct http_ctx;

/* A URL taken apart; host without the brackets of an IPv6 literal. */
struct http_url {
	bool tls; /* https */
	char host[256];
	long port;	 /* 0: none given (the scheme's default) */
	char path[1536]; /* path and query; "/" at least */
};

/* Splits an http:// or https:// URL; 0, or -1 with the reason in err. */
int http_url_split(const char *url, struct http_url *u, char *err,
		   size_t errlen);

/* The URL again: brackets around an IPv6 literal, the port only when it is
 * not the scheme's default. */
void http_url_join(const struct http_url *u, char *buf, size_t len);

/* A transfer engine on loop l; NULL with the reason in err. */
struct http_ctx *http_new(struct loop *l, char *err, size_t errlen);

/* Starts x now, bounded by the run's deadline (and x->o->stall_ms). 0, or
 * -1 with the reason in err (bad URL, out of memory); x is then done with
 * HTTP_FAIL_OTHER. */
int http_start(struct http_ctx *c, struct http_xfer *x, char *err,
	       size_t errlen);

/* True when no transfer is running. Suitable for loop_run(). */
bool http_idle(void *ctx);

/* Ends every running transfer as it stands (the deadline passed): each is
 * classified from what had arrived, so a stall stays a stall. */
void http_finish(struct http_ctx *c);

void http_free(struct http_ctx *c);

/* Releases what a transfer holds (its body); x can then be reused. */
void http_xfer_release(struct http_xfer *x);

/* The failure in an operator's words, without the address, e.g.
 * "connection refused", "unreachable (host unreachable)", "transfer
 * stalled after 14480 of 204800 bytes over IPv6 (typical of a Path MTU
 * Discovery blackhole)", "still receiving at 2048 KB/s when -t ran out
 * (5734400 of 104857600 bytes)". Empty for HTTP_FAIL_NONE. */
void http_fail_text(const struct http_xfer *x, char *buf, size_t len);

/* The phase in words, for "... when -t ran out during <step>". */
const char *http_phase_name(enum http_phase p);

/* Loads a client certificate and key as the handshake would (PEM); 0, or
 * -1 with OpenSSL's reason in err. For checking options before a run. */
int http_client_cert_check(const char *cert, const char *key, char *err,
			   size_t errlen);

/* "CN=www.example.com, expires 2030-01-01, issuer CN=Lab CA, SAN ..." (""
 * if no certificate was seen). */
void http_tls_text(const struct http_tls *t, char *buf, size_t len);

/* Whole days from now to the certificate's notAfter (negative: expired). */
long http_tls_days_left(const struct http_tls *t, time_t now);

/* True when body holds needle (binary-safe, within what was kept). */
bool http_body_has(const struct http_xfer *x, const char *needle);

/* The first n bytes of the digest as lowercase hex. */
void http_digest_hex(const struct http_xfer *x, size_t n, char *buf,
		     size_t len);

#endif
