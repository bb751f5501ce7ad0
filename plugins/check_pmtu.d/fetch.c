#include "check_pmtu.d/fetch.h"

#include "addr.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "deadline.h"
#include "icmp.h"
#include "log.h"

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

/* A header line "Name: value" whose name is name (any case): the value. */
static const char *header_value(const char *line, const char *end,
				const char *name)
{
	size_t n = strlen(name);

	if ((size_t)(end - line) <= n || strncasecmp(line, name, n) ||
	    line[n] != ':')
		return NULL;
	line += n + 1;
	while (line < end && (*line == ' ' || *line == '\t'))
		line++;
	return line;
}

long long pmtu_content_length(const char *head, size_t n, size_t *body)
{
	const char *end = NULL, *p = head, *stop = head + n;
	long long len = -2;
	size_t blank = 0;

	for (size_t i = 0; i + 1 < n; i++)
		if (head[i] == '\n' &&
		    (head[i + 1] == '\n' || (head[i + 1] == '\r' && i + 2 < n &&
					     head[i + 2] == '\n'))) {
			end = head + i + 1;
			blank = head[i + 1] == '\n' ? 1 : 2;
			break;
		}
	if (!end)
		return -1;
	*body = (size_t)(end - head) + blank;
	/* "HTTP/1.1 204 ...": 1xx, 204 and 304 have no body (RFC 9112
	 * section 6.3). */
	if (n > 12 && !strncmp(head, "HTTP/", 5)) {
		const char *sp = memchr(head, ' ', (size_t)(end - head));
		if (sp && sp + 4 <= end && isdigit((unsigned char)sp[1]) &&
		    isdigit((unsigned char)sp[2]) &&
		    isdigit((unsigned char)sp[3])) {
			int st = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 +
				 (sp[3] - '0');
			if (st / 100 == 1 || st == 204 || st == 304)
				return 0;
		}
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(stop - p));
		if (!eol || eol > end)
			eol = end;
		const char *le = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		const char *v;
		if (header_value(p, le, "Transfer-Encoding"))
			return -2; /* chunked: the length is not known */
		if ((v = header_value(p, le, "Content-Length"))) {
			long long x = 0;
			const char *d = v;
			while (d < le && isdigit((unsigned char)*d) &&
			       x < 1000000000000000LL)
				x = x * 10 + (*d++ - '0');
			while (d < le && (*d == ' ' || *d == '\t'))
				d++;
			if (d == v || d != le || (len >= 0 && len != x))
				return -2; /* garbled or two that differ */
			len = x;
		}
		p = eol + 1;
	}
	return len;
}

double pmtu_fetch_rate(const struct pmtu_fetch *f)
{
	double span = f->start_s + f->first_byte_s;

	span = f->last_s - span;
	/* The first read's bytes came before the span began. */
	if (f->first_byte_s <= 0 || span <= 0)
		return 0;
	return (double)(f->bytes - f->first_read) / span;
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
	f->total_s = (PMTU_FETCH_OK(f) ? f->last_s : mono_now_s()) - f->start_s;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof f->why, fmt, ap);
	va_end(ap);
	vlog(1, "%s fetch with MSS %s: %s; %zu bytes in %.3f s\n",
	     addr_family_name(f->dst.ss_family), f->mss ? "clamped" : "normal",
	     f->why, f->bytes, f->total_s);
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

/* Keeps the response head until its blank line and learns the response's
 * size from it. */
static void keep_head(struct pmtu_fetch *f, const char *b, size_t n)
{
	size_t room = sizeof f->head - f->headn, body = 0;

	if (f->head_done)
		return;
	memcpy(f->head + f->headn, b, n < room ? n : room);
	f->headn += n < room ? n : room;
	if (f->headn < 5 || strncmp(f->head, "HTTP/", 5)) {
		f->head_done = f->headn >= 5;
		return;
	}
	long long cl = pmtu_content_length(f->head, f->headn, &body);
	if (cl == -1 && f->headn < sizeof f->head)
		return;
	f->head_done = true;
	if (cl >= 0 && f->total_bytes < 0)
		f->total_bytes = (long long)body + cl;
	vlog(3,
	     "%s response head of %zu bytes: Content-Length %lld, %lld bytes "
	     "in all\n",
	     addr_family_name(f->dst.ss_family), body, cl, f->total_bytes);
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
		vlog(3,
		     "%s fetch connected in %.4f s: advertised MSS %d, path "
		     "MTU %d\n",
		     addr_family_name(f->dst.ss_family), f->connect_s,
		     f->adv_mss, f->pmtu);
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
			f->last_s = mono_now_s();
			if (f->bytes == 0) {
				keep_first_line(f, buf, (size_t)n);
				f->first_byte_s = f->last_s - f->start_s;
				f->first_read = (size_t)n;
			}
			keep_head(f, buf, (size_t)n);
			f->bytes += (size_t)n;
			/* Complete by its size: a server that keeps the
			 * connection open has still sent everything. */
			if (f->total_bytes >= 0 &&
			    (long long)f->bytes >= f->total_bytes) {
				fetch_end(f, FETCH_COMPLETE, "complete");
				return;
			}
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
	f->total_bytes = f->expect_bytes > 0 ? f->expect_bytes : -1;
	if (f->fd < 0) {
		fetch_end(f, FETCH_NOCONN, "socket: %s", strerror(errno));
		return -1;
	}
	char err[160];
	if (icmp_bind_fd(f->fd, f->dst.ss_family, f->src, f->iface, err,
			 sizeof err)) {
		fetch_end(f, FETCH_NOCONN, "%s", err);
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
	if (f->end != FETCH_RUNNING)
		return;
	f->cut = true;
	f->idle_s = mono_now_s() - f->last_s;
	if (!f->connected)
		fetch_end(f, FETCH_NOCONN, "no connection when -t ran out");
	else if (!f->bytes)
		fetch_end(f, FETCH_DEADLINE,
			  "no response byte %.1f s after connecting when -t "
			  "ran out",
			  f->idle_s);
	else
		fetch_end(f, FETCH_DEADLINE, "still receiving when -t ran out");
}
