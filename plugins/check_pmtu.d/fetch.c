#include "check_pmtu.d/fetch.h"

#include "addr.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"

size_t pmtu_request(char *buf, size_t cap, const char *send, const char *uri,
		    const char *hosthdr)
{
	size_t n = 0;

	if (!send) {
		int k = snprintf(buf, cap,
				 "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: "
				 "check_pmtu\r\nAccept: */*\r\nConnection: "
				 "close\r\n\r\n",
				 uri, hosthdr);
		return k < 0 || (size_t)k >= cap ? 0 : (size_t)k;
	}
	for (; *send; send++) {
		if (n + 1 >= cap)
			return 0;
		if (*send == '\\' && send[1] && strchr("rnt\\", send[1])) {
			send++;
			buf[n++] = *send == 'r'	  ? '\r'
				   : *send == 'n' ? '\n'
				   : *send == 't' ? '\t'
						  : '\\';
		} else {
			buf[n++] = *send;
		}
	}
	buf[n] = '\0';
	return n;
}

static void fetch_end(struct pmtu_fetch *f, enum pmtu_fetch_end e,
		      const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fetch_end(struct pmtu_fetch *f, enum pmtu_fetch_end e,
		      const char *fmt, ...)
{
	va_list ap;

	if (f->end != FETCH_RUNNING)
		return;
	f->end = e;
	f->total_s = (e == FETCH_EOF ? f->last_s : mono_now_s()) - f->start_s;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof f->why, fmt, ap);
	va_end(ap);
	if (f->fd >= 0) {
		if (f->loop)
			loop_watch(f->loop, f->fd, 0, NULL, NULL);
		close(f->fd);
		f->fd = -1;
	}
}

/* The status line, from the first chunk read (sanitised by report). */
static void keep_first_line(struct pmtu_fetch *f, const char *b, size_t n)
{
	size_t i = 0;

	while (i < n && i + 1 < sizeof f->first_line && b[i] != '\r' &&
	       b[i] != '\n')
		i++;
	memcpy(f->first_line, b, i);
	f->first_line[i] = '\0';
}

static void fetch_io(int fd, short revents, void *arg)
{
	struct pmtu_fetch *f = arg;
	char buf[16384];

	(void)revents;
	if (!f->connected) {
		int e = 0;
		socklen_t el = sizeof e;
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
		if (e) {
			fetch_end(f, FETCH_NOCONN, "%s", strerror(e));
			return;
		}
		struct tcp_info ti;
		socklen_t tl = sizeof ti;
		if (!getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl)) {
			f->adv_mss = (int)ti.tcpi_advmss;
			f->pmtu = (int)ti.tcpi_pmtu;
		}
		f->connected = true;
		f->last_s = mono_now_s();
		f->connect_s = f->last_s - f->start_s;
	}
	while (f->sent < f->reqlen) {
		ssize_t n = send(fd, f->req + f->sent, f->reqlen - f->sent,
				 MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			fetch_end(f, FETCH_NOCONN, "sending the request: %s",
				  strerror(errno));
			return;
		}
		f->sent += (size_t)n;
	}
	loop_watch(f->loop, fd, f->sent < f->reqlen ? POLLIN | POLLOUT : POLLIN,
		   fetch_io, f);
	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0) {
			if (f->bytes == 0)
				keep_first_line(f, buf, (size_t)n);
			f->bytes += (size_t)n;
			f->last_s = mono_now_s();
			continue;
		}
		if (n == 0)
			fetch_end(f, FETCH_EOF, "complete");
		else if (errno != EAGAIN)
			fetch_end(f, FETCH_NOCONN, "%s after %zu bytes",
				  strerror(errno), f->bytes);
		return;
	}
}

int pmtu_fetch_start(struct pmtu_fetch *f, struct loop *l)
{
	f->fd = socket(f->dst.ss_family,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	f->loop = l;
	f->start_s = f->last_s = mono_now_s();
	f->end = FETCH_RUNNING;
	if (f->fd < 0) {
		fetch_end(f, FETCH_NOCONN, "socket: %s", strerror(errno));
		return -1;
	}
	/* Before connect: the SYN advertises it (RFC 9293 section 3.7.1). */
	if (f->mss && setsockopt(f->fd, IPPROTO_TCP, TCP_MAXSEG, &f->mss,
				 sizeof f->mss)) {
		fetch_end(f, FETCH_NOCONN, "TCP_MAXSEG %d: %s", f->mss,
			  strerror(errno));
		return -1;
	}
	if (connect(f->fd, (struct sockaddr *)&f->dst,
		    addr_len(f->dst.ss_family)) &&
	    errno != EINPROGRESS) {
		fetch_end(f, FETCH_NOCONN, "%s", strerror(errno));
		return -1;
	}
	if (loop_watch(l, f->fd, POLLOUT, fetch_io, f)) {
		fetch_end(f, FETCH_NOCONN, "out of memory");
		return -1;
	}
	return 0;
}

long pmtu_fetch_next_ms(void *arg)
{
	struct pmtu_fetch *f = arg;

	if (f->end != FETCH_RUNNING)
		return -1;
	double left = f->last_s + (double)f->stall_ms / 1000 - mono_now_s();
	return left <= 0 ? 0 : (long)(left * 1000 + 0.999);
}

void pmtu_fetch_fire(void *arg)
{
	struct pmtu_fetch *f = arg;

	if (!f->connected)
		fetch_end(f, FETCH_NOCONN, "no connection within %.1f s",
			  (double)f->stall_ms / 1000);
	else
		fetch_end(f, FETCH_STALLED, "stalled after %zu bytes",
			  f->bytes);
}

void pmtu_fetch_finish(struct pmtu_fetch *f)
{
	if (!f->connected)
		fetch_end(f, FETCH_NOCONN, "no connection before the deadline");
	else
		fetch_end(f, FETCH_DEADLINE,
			  "stalled after %zu bytes "
			  "(deadline)",
			  f->bytes);
}
