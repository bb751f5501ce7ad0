#include "check_ospfv3_neighbors.d/bird.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "deadline.h"
#include "log.h"
#include "loop.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "CCCC-", "CCCC " or "CCCC" alone: the code, else -1. */
static int line_code(const char *l, size_t len, bool *last)
{
	if (len < 4 || !is_digit(l[0]) || !is_digit(l[1]) || !is_digit(l[2]) ||
	    !is_digit(l[3]))
		return -1;
	if (len > 4 && l[4] != '-' && l[4] != ' ')
		return -1;
	*last = len == 4 || l[4] == ' ';
	return (l[0] - '0') * 1000 + (l[1] - '0') * 100 + (l[2] - '0') * 10 +
	       (l[3] - '0');
}

size_t bird_reply_end(const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		if (!nl)
			return 0;
		size_t ll = (size_t)(nl - (text + pos));
		bool last = false;
		if (line_code(text + pos, ll, &last) >= 0 && last)
			return pos + ll + 1;
		pos += ll + 1;
	}
	return 0;
}

/* One row of the 1013 table: "0.0.0.2 \t  1\tFull/PtP \t 3.542\tb-full
 * fe80::1". */
static int parse_row(const char *text, size_t len, struct nbr *n, char *err,
		     size_t errlen)
{
	char copy[512], *tok[6], *save = NULL;
	size_t nt = 0;
	char w[40];

	if (len >= sizeof copy)
		len = sizeof copy - 1;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (char *t = strtok_r(copy, " \t", &save); t && nt < 6;
	     t = strtok_r(NULL, " \t", &save))
		tok[nt++] = t;
	if (nt < 5) {
		nbr_copy_word(w, sizeof w, text, len);
		snprintf(err, errlen, "a neighbor line has %zu fields: '%s'",
			 nt, w);
		return -1;
	}
	*n = (struct nbr){.state_s = -1};
	if (nbr_rid_parse(tok[0], &n->rid)) {
		nbr_copy_word(w, sizeof w, tok[0], strlen(tok[0]));
		snprintf(err, errlen, "'%s' is not a router id", w);
		return -1;
	}
	n->state = nbr_state_parse(tok[2]);
	nbr_copy_word(n->state_word, sizeof n->state_word, tok[2],
		      strcspn(tok[2], "/"));
	nbr_copy_word(n->iface, sizeof n->iface, tok[4], strlen(tok[4]));
	return 0;
}

static enum src_result bird_error(int code, const char *text, size_t len,
				  const char *protocol, char *err,
				  size_t errlen)
{
	char msg[200];

	nbr_copy_word(msg, sizeof msg, text, len);
	/* BIRD parses the name as a symbol: an unknown one is a syntax
	 * error. */
	if (protocol && strstr(msg, "CF_SYM_UNDEFINED"))
		snprintf(err, errlen, "BIRD: no protocol named '%s' (%04d %s)",
			 protocol, code, msg);
	else
		snprintf(err, errlen, "BIRD: %04d %s", code, msg);
	return SRC_ERROR;
}

enum src_result bird_parse(const char *text, size_t len, const char *protocol,
			   struct nbr_list *out, char *err, size_t errlen)
{
	size_t pos = 0;
	int code = -1;

	out->n = out->dropped = 0;
	while (pos < len) {
		const char *l = text + pos;
		const char *nl = memchr(l, '\n', len - pos);
		if (!nl)
			break;
		size_t ll = (size_t)(nl - l);
		pos += ll + 1;
		bool last = false;
		int c = line_code(l, ll, &last);
		const char *body = l + 5;
		size_t blen = ll > 5 ? ll - 5 : 0;
		if (c >= 0) {
			code = c;
		} else if (ll > 0 && l[0] == ' ' && code >= 0) {
			body = l + 1;
			blen = ll - 1;
		} else {
			char w[60];
			nbr_copy_word(w, sizeof w, l, ll);
			snprintf(err, errlen,
				 "BIRD: a reply line without a code: '%s'", w);
			return SRC_MALFORMED;
		}
		if (code >= 8000)
			return bird_error(code, body, blen, protocol, err,
					  errlen);
		/* The header row is skipped; a body shorter than it is a row
		 * to judge, never a read past the line. */
		bool header = blen >= 9 && !memcmp(body, "Router ID", 9);
		if (code == 1013 && blen > 0 && body[blen - 1] != ':' &&
		    !header && c < 0) {
			struct nbr n;
			char why[160];
			if (parse_row(body, blen, &n, why, sizeof why)) {
				snprintf(err, errlen, "BIRD: %s", why);
				return SRC_MALFORMED;
			}
			nbr_add(out, &n);
		}
		if (c >= 0 && last) {
			if (code == 0)
				return SRC_OK;
			snprintf(err, errlen,
				 "BIRD: the reply ends with code %04d, not "
				 "0000",
				 code);
			return SRC_MALFORMED;
		}
	}
	snprintf(err, errlen, "BIRD: the reply is cut short (no last line)");
	return SRC_MALFORMED;
}

/* --- the socket ------------------------------------------------------- */

struct conv {
	int fd;
	const char *cmd;
	bool greeted, sent, over;
	char *buf;
	size_t len, cap, reply_at;
	char err[300];
	enum src_result res;
	struct loop *loop;
};

static void conv_fail(struct conv *c, enum src_result res, const char *msg)
{
	c->res = res;
	snprintf(c->err, sizeof c->err, "BIRD: %s", msg);
	c->over = true;
}

static void on_greeting(struct conv *c)
{
	size_t end = bird_reply_end(c->buf, c->len);
	char w[80];

	if (!end)
		return;
	if (strncmp(c->buf, "0001 ", 5) != 0) {
		char msg[120];
		nbr_copy_word(w, sizeof w, c->buf, strcspn(c->buf, "\n"));
		snprintf(msg, sizeof msg, "unexpected greeting '%s'", w);
		conv_fail(c, SRC_MALFORMED, msg);
		return;
	}
	nbr_copy_word(w, sizeof w, c->buf + 5, end - 6);
	vlog(3, "bird: greeting: %s\n", w);
	c->greeted = true;
	c->reply_at = end;
	vlog(3, "bird: > %s", c->cmd);
	/* One short line into an empty socket buffer: it fits at once. */
	if (write(c->fd, c->cmd, strlen(c->cmd)) != (ssize_t)strlen(c->cmd)) {
		conv_fail(c, SRC_UNREACHABLE, "cannot send the command");
		return;
	}
	c->sent = true;
}

static void on_sock(int fd, short revents, void *arg)
{
	struct conv *c = arg;
	ssize_t got;

	(void)revents;
	for (;;) {
		if (c->cap - c->len < 4097) {
			size_t cap = c->cap ? c->cap * 2 : 16384;
			char *p = NULL;
			if (c->len + 4097 <= BIRD_MAX_REPLY)
				p = realloc(c->buf, cap);
			if (!p) {
				conv_fail(c, SRC_MALFORMED,
					  "the reply is too large");
				return;
			}
			c->buf = p;
			c->cap = cap;
		}
		got = read(fd, c->buf + c->len, c->cap - c->len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			break;
		if (got <= 0) {
			conv_fail(c, SRC_MALFORMED,
				  got < 0 ? "read error on the socket"
					  : "BIRD closed the socket before the "
					    "reply was complete");
			return;
		}
		c->len += (size_t)got;
		c->buf[c->len] = '\0';
	}
	if (!c->greeted)
		on_greeting(c);
	if (c->sent && !c->over &&
	    bird_reply_end(c->buf + c->reply_at, c->len - c->reply_at))
		c->over = true;
}

static bool conv_over(void *arg)
{
	return ((struct conv *)arg)->over;
}

enum src_result bird_fetch(const char *path, const char *protocol,
			   struct nbr_list *out, char *err, size_t errlen)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct loop loop;
	char cmd[160];
	struct conv c = {.cmd = cmd, .loop = &loop, .res = SRC_OK};

	if (strlen(path) >= sizeof sun.sun_path) {
		snprintf(err, errlen, "BIRD: socket path too long: %s", path);
		return SRC_UNREACHABLE;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	snprintf(cmd, sizeof cmd, "show ospf neighbors%s%s\n",
		 protocol ? " " : "", protocol ? protocol : "");
	deadline_step("asking BIRD at %s: show ospf neighbors%s%s", path,
		      protocol ? " " : "", protocol ? protocol : "");
	c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c.fd < 0 ||
	    connect(c.fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		snprintf(err, errlen, "BIRD: cannot connect to %s: %s", path,
			 strerror(errno));
		if (c.fd >= 0)
			close(c.fd);
		return SRC_UNREACHABLE;
	}
	loop_init(&loop);
	loop_watch(&loop, c.fd, POLLIN, on_sock, &c);
	if (!loop_run(&loop, conv_over, &c, -1)) {
		snprintf(c.err, sizeof c.err,
			 "BIRD: no %s from %s within the timeout (%.1f s)",
			 c.greeted ? "complete reply" : "greeting", path,
			 deadline_elapsed_s());
		c.res = SRC_TIMEOUT;
	}
	loop_watch(&loop, c.fd, 0, NULL, NULL);
	loop_free(&loop);
	close(c.fd);
	if (c.res == SRC_OK)
		c.res = bird_parse(c.buf + c.reply_at, c.len - c.reply_at,
				   protocol, out, c.err, sizeof c.err);
	if (c.res != SRC_OK)
		snprintf(err, errlen, "%s", c.err);
	free(c.buf);
	return c.res;
}
