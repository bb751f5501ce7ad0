/* fetch: check_pmtu's tcp mode engine. One non-blocking fetch of a large
 * response on the shared loop, with the MSS set before connect, stall
 * detection and the kernel's view of the connection (tcpi_advmss,
 * tcpi_pmtu). Two run at once: the normal MSS and one that fits 1280. */
#ifndef CHECK_PMTU_FETCH_H
#define CHECK_PMTU_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "loop.h"

/* TCP mode: the bytes to send into buf: send with its escapes \r \n \t
 * \\ turned into bytes, or when send is NULL an HTTP/1.0 GET of uri with
 * the Host header hosthdr. Returns the length, 0 when it does not fit. */
size_t pmtu_request(char *buf, size_t cap, const char *send, const char *uri,
		    const char *hosthdr);

/* TCP mode: one fetch of a large response. */
enum pmtu_fetch_end {
	FETCH_RUNNING = 0,
	FETCH_EOF,	/* the server closed after sending: complete */
	FETCH_COMPLETE, /* every byte of Content-Length or expect_bytes came;
			 * the connection may still be open */
	FETCH_STALLED,	/* connected, then no byte for stall_ms */
	FETCH_NOCONN,	/* the connection failed: reason in why */
	FETCH_DEADLINE, /* the run's deadline came first (cut is true) */
};

/* The response has all its bytes: closed by the server or complete by its
 * Content-Length or the expected size. */
#define PMTU_FETCH_OK(f) ((f)->end == FETCH_EOF || (f)->end == FETCH_COMPLETE)

/* Content-Length of an HTTP response head (head[0..n), the blank line
 * included), the body's first byte at *body. Returns -1 when the head is
 * not complete yet, -2 when it is complete without a usable length (a
 * status without a body, 1xx/204/304, gives 0). Pure, for unit tests. */
long long pmtu_content_length(const char *head, size_t n, size_t *body);

struct pmtu_fetch {
	/* set by the caller */
	struct sockaddr_storage dst;
	int mss;	 /* TCP_MAXSEG before connect; 0: the kernel's */
	const char *req; /* bytes to send once connected */
	size_t reqlen;
	long stall_ms;
	long long expect_bytes; /* complete after this many bytes; 0: by the
				 * Content-Length of an HTTP response */
	const struct sockaddr_storage *src; /* bind to it; NULL or family 0 */
	const char *iface;		    /* SO_BINDTODEVICE; NULL or "" */
	/* results */
	enum pmtu_fetch_end end;
	bool cut;     /* ended by the deadline, not by its own timeouts */
	size_t bytes; /* everything read, head included */
	long long total_bytes;	   /* the whole response by Content-Length or
				    * expect_bytes (head included); -1: unknown */
	double connect_s, total_s; /* from the start; total: last byte */
	double first_byte_s;	   /* from the start; 0: no byte */
	double idle_s;		   /* DEADLINE: since the last byte (or the
				    * connection when none came) */
	int adv_mss, pmtu;	   /* tcpi_advmss, tcpi_pmtu after connect */
	char first_line[96];	   /* of the response */
	char why[96];
	/* private */
	int fd;
	size_t sent, first_read;
	double start_s, last_s;
	bool connected;
	char head[4096]; /* the response head, until its blank line */
	size_t headn;
	bool head_done;
	struct loop *loop;
};

/* Bytes per second while the response came: from the first byte to the
 * last (0 when fewer than two reads). */
double pmtu_fetch_rate(const struct pmtu_fetch *f);

/* Starts the fetch (non-blocking connect) on l. Returns 0, or -1 with
 * f->end set (e.g. FETCH_NOCONN when the socket cannot open). */
int pmtu_fetch_start(struct pmtu_fetch *f, struct loop *l);
/* For a loop timer: stall detection. */
long pmtu_fetch_next_ms(void *f);
void pmtu_fetch_fire(void *f);
/* Ends a fetch that is still running (FETCH_DEADLINE, cut) and closes it. */
void pmtu_fetch_finish(struct pmtu_fetch *f);

#endif
