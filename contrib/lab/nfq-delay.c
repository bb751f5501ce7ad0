/*
 * nfq-delay: hold every packet of one NFQUEUE for a fixed time, then accept
 * it. The lab uses it for the latency-v4/latency-v6 faults because the test
 * kernel has no sch_netem.
 *
 *   nfq-delay --queue N --delay-ms MS [--pidfile FILE]
 *
 * Only packet metadata is copied to user space (we never look at payload).
 * The delay is constant, so release times are in arrival order and a FIFO
 * is enough. The queue fails open: if we fall behind or the ring is full,
 * packets pass undelayed instead of being dropped, so the fault adds latency
 * and never loss. The pid file is written once the queue is bound, so its
 * appearance tells the lab that rules pointing at the queue may be added.
 * SIGTERM or SIGINT: accept whatever is still held, unbind, exit 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define QUEUE_MAXLEN 4096
#define RING_SIZE    8192 /* > QUEUE_MAXLEN: the kernel never gives us more */
#define RCVBUF_BYTES (4u * 1024 * 1024)

struct held {
	uint32_t id;
	int64_t release_ns;
};

struct ring {
	struct held slot[RING_SIZE];
	size_t head, count;
};

static struct ring ring;
static int64_t delay_ns;
static struct nfq_q_handle *qh;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void accept_id(uint32_t id)
{
	if (nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL) < 0)
		perror("nfq-delay: verdict");
}

static int on_packet(struct nfq_q_handle *q, struct nfgenmsg *msg,
		     struct nfq_data *nfa, void *data)
{
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	uint32_t id;

	(void)q;
	(void)msg;
	(void)data;
	if (ph == NULL)
		return 0;
	id = ntohl(ph->packet_id);
	if (ring.count == RING_SIZE) {
		accept_id(id); /* never drop: late is better than lost */
		return 0;
	}
	ring.slot[(ring.head + ring.count) % RING_SIZE] =
	    (struct held){.id = id, .release_ns = now_ns() + delay_ns};
	ring.count++;
	return 0;
}

/* Accept every held packet whose time has come (all of them if flush). */
static void release_due(int flush)
{
	int64_t now = now_ns();

	while (ring.count > 0 &&
	       (flush || ring.slot[ring.head].release_ns <= now)) {
		accept_id(ring.slot[ring.head].id);
		ring.head = (ring.head + 1) % RING_SIZE;
		ring.count--;
	}
}

static unsigned long parse_num(const char *opt, const char *s,
			       unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v > max) {
		fprintf(stderr, "nfq-delay: %s: not a number in 0..%lu: '%s'\n",
			opt, max, s);
		exit(2);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nfq-delay --queue N --delay-ms MS [--pidfile FILE]\n");
	exit(2);
}

static int write_pidfile(const char *path)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return -1;
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path); /* readers never see a half-written file */
}

int main(int argc, char **argv)
{
	long queue = -1, delay_ms = -1;
	const char *pidfile = NULL;
	struct nfq_handle *h;
	struct sigaction sa;
	sigset_t block, waitmask;
	static char buf[65536];
	int fd, one = 1;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--queue") == 0)
			queue = (long)parse_num("--queue", argv[++i], 65535);
		else if (strcmp(argv[i], "--delay-ms") == 0)
			delay_ms =
			    (long)parse_num("--delay-ms", argv[++i], 60000);
		else if (strcmp(argv[i], "--pidfile") == 0)
			pidfile = argv[++i];
		else
			usage();
	}
	if (queue < 0 || delay_ms < 0)
		usage();
	delay_ns = (int64_t)delay_ms * 1000000;

	/* Signals are only delivered inside ppoll(), so the stop flag cannot
	 * be missed between the check and the wait. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);

	h = nfq_open();
	if (h == NULL) {
		perror("nfq-delay: nfq_open");
		return 1;
	}
	qh = nfq_create_queue(h, (uint16_t)queue, on_packet, NULL);
	if (qh == NULL) {
		fprintf(stderr, "nfq-delay: cannot bind queue %ld: %s\n", queue,
			strerror(errno));
		nfq_close(h);
		return 1;
	}
	if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0 ||
	    nfq_set_queue_maxlen(qh, QUEUE_MAXLEN) < 0) {
		perror("nfq-delay: configure queue");
		nfq_destroy_queue(qh);
		nfq_close(h);
		return 1;
	}
	/* FAIL_OPEN: a full kernel queue accepts instead of dropping. GSO:
	 * we copy no payload, so big GSO packets need not be split first. */
	if (nfq_set_queue_flags(qh, NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO,
				NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO) < 0)
		perror("nfq-delay: queue flags (continuing)");

	fd = nfq_fd(h);
	nfnl_rcvbufsiz(nfq_nfnlh(h), RCVBUF_BYTES);
	/* A burst that overflows the socket is lost to us anyway (the kernel
	 * fails open); do not let ENOBUFS end the program. */
	setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);

	if (pidfile != NULL && write_pidfile(pidfile) != 0) {
		fprintf(stderr, "nfq-delay: cannot write %s: %s\n", pidfile,
			strerror(errno));
		nfq_destroy_queue(qh);
		nfq_close(h);
		return 1;
	}

	while (!stop) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		struct timespec ts, *tsp = NULL;
		int n;

		if (ring.count > 0) {
			int64_t wait =
			    ring.slot[ring.head].release_ns - now_ns();

			if (wait < 0)
				wait = 0;
			ts.tv_sec = (time_t)(wait / 1000000000);
			ts.tv_nsec = (long)(wait % 1000000000);
			tsp = &ts;
		}
		n = ppoll(&pfd, 1, tsp, &waitmask);
		if (n < 0 && errno != EINTR) {
			perror("nfq-delay: ppoll");
			break;
		}
		if (n > 0) {
			for (;;) {
				ssize_t len =
				    recv(fd, buf, sizeof buf, MSG_DONTWAIT);

				if (len < 0)
					break; /* EAGAIN: drained; ENOBUFS: see
						  above */
				nfq_handle_packet(h, buf, (int)len);
			}
		}
		release_due(0);
	}

	release_due(1);
	nfq_destroy_queue(qh);
	nfq_close(h);
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}
