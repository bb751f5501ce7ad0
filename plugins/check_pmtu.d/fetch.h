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
	FETCH_STALLED,	/* connected, then no byte for stall_ms */
	FETCH_NOCONN,	/* the connection failed: reason in why */
	FETCH_DEADLINE, /* the run's deadline came first */
};

struct pmtu_fetch {
	/* set by the caller */
	struct sockaddr_storage dst;
	int mss;	 /* TCP_MAXSEG before connect; 0: the kernel's */
	const char *req; /* bytes to send once connected */
	size_t reqlen;
	long stall_ms;
	/* results */
	enum pmtu_fetch_end end;
	size_t bytes;
	double connect_s, total_s; /* from the start; total: last byte */
	int adv_mss, pmtu;	   /* tcpi_advmss, tcpi_pmtu after connect */
	char first_line[96];	   /* of the response */
	char why[96];
	/* private */
	int fd;
	size_t sent;
	double start_s, last_s;
	bool connected;
	struct loop *loop;
};

/* Starts the fetch (non-blocking connect) on l. Returns 0, or -1 with
 * f->end set (e.g. FETCH_NOCONN when the socket cannot open). */
int pmtu_fetch_start(struct pmtu_fetch *f, struct loop *l);
/* For a loop timer: stall detection. */
long pmtu_fetch_next_ms(void *f);
void pmtu_fetch_fire(void *f);
/* Ends a fetch that is still running (FETCH_DEADLINE) and closes it. */
void pmtu_fetch_finish(struct pmtu_fetch *f);

#endif
