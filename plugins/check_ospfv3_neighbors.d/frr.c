#include "check_ospfv3_neighbors.d/frr.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "log.h"
#include "loop.h"

long frr_duration_parse(const char *s)
{
	long days = 0, f[3];
	const char *p = s;
	char *end;

	if (strchr(s, 'd')) {
		if (*p < '0' || *p > '9')
			return -1;
		days = strtol(p, &end, 10);
		if (*end != 'd' || days < 0 || days > 100000)
			return -1;
		p = end + 1;
	}
	for (int i = 0; i < 3; i++) {
		if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
			return -1;
		f[i] = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (i < 2 && *p++ != ':')
			return -1;
	}
	if (*p || f[1] > 59 || f[2] > 59)
		return -1;
	return ((days * 24 + f[0]) * 60 + f[1]) * 60 + f[2];
}

/* A member that must be a string; NULL (and err set) otherwise. */
static const char *member(json_t *o, const char *key, size_t i, bool need,
			  char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	if (!v && !need)
		return "";
	if (!json_is_string(v)) {
		snprintf(err, errlen, "neighbor %zu: \"%s\" %s", i + 1, key,
			 v ? "is not a string" : "is missing");
		return NULL;
	}
	return json_string_value(v);
}

static int parse_one(json_t *e, size_t i, struct nbr *n, char *err,
		     size_t errlen)
{
	const char *id, *st, *dur, *ifn;

	if (!json_is_object(e)) {
		snprintf(err, errlen, "neighbor %zu is not an object", i + 1);
		return -1;
	}
	id = member(e, "neighborId", i, true, err, errlen);
	st = id ? member(e, "state", i, true, err, errlen) : NULL;
	dur = st ? member(e, "duration", i, false, err, errlen) : NULL;
	ifn = dur ? member(e, "interfaceName", i, false, err, errlen) : NULL;
	if (!ifn)
		return -1;
	*n = (struct nbr){.state_s = -1};
	if (nbr_rid_parse(id, &n->rid)) {
		char w[40];
		nbr_copy_word(w, sizeof w, id, strlen(id));
		snprintf(err, errlen,
			 "neighbor %zu: \"neighborId\" '%s' is "
			 "not a router id",
			 i + 1, w);
		return -1;
	}
	n->state = nbr_state_parse(st);
	nbr_copy_word(n->state_word, sizeof n->state_word, st, strlen(st));
	nbr_copy_word(n->iface, sizeof n->iface, ifn, strlen(ifn));
	if (*dur) {
		n->state_s = frr_duration_parse(dur);
		if (n->state_s < 0) {
			char w[40];
			nbr_copy_word(w, sizeof w, dur, strlen(dur));
			snprintf(err, errlen,
				 "neighbor %zu: \"duration\" '%s' is not "
				 "HH:MM:SS",
				 i + 1, w);
			return -1;
		}
	}
	return 0;
}

int frr_parse(const char *text, size_t len, struct nbr_list *out, char *err,
	      size_t errlen)
{
	json_error_t je;
	json_t *doc, *arr;
	int rc = -1;

	out->n = out->dropped = 0;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		snprintf(err, errlen, "not valid JSON (%s at line %d)", je.text,
			 je.line);
		return -1;
	}
	arr = json_object_get(doc, "neighbors");
	if (!json_is_object(doc))
		snprintf(err, errlen, "the JSON is not an object");
	else if (!arr)
		snprintf(err, errlen,
			 "the JSON has no \"neighbors\" (is "
			 "OSPFv3 configured?)");
	else if (!json_is_array(arr))
		snprintf(err, errlen, "\"neighbors\" is not an array");
	else
		rc = 0;
	for (size_t i = 0; rc == 0 && i < json_array_size(arr); i++) {
		struct nbr n;
		rc = parse_one(json_array_get(arr, i), i, &n, err, errlen);
		if (rc == 0)
			nbr_add(out, &n);
	}
	json_decref(doc);
	return rc;
}

/* --- running vtysh ---------------------------------------------------- */

struct run {
	int fd[2]; /* stdout, stderr; -1 once closed */
	char *out;
	size_t outlen, outcap;
	char errtext[1024];
	size_t errlen;
	bool too_big;
	struct loop *loop;
};

static void on_read(int fd, short revents, void *arg)
{
	struct run *r = arg;
	char buf[8192];
	ssize_t got;
	int k = fd == r->fd[0] ? 0 : 1;

	(void)revents;
	for (;;) {
		got = read(fd, buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			return;
		if (got <= 0)
			break;
		if (k == 1) {
			size_t n = (size_t)got;
			size_t room = sizeof r->errtext - 1 - r->errlen;
			if (n > room)
				n = room;
			memcpy(r->errtext + r->errlen, buf, n);
			r->errlen += n;
			r->errtext[r->errlen] = '\0';
			continue;
		}
		if (r->outlen + (size_t)got > FRR_MAX_OUTPUT) {
			r->too_big = true;
			break;
		}
		if (r->outlen + (size_t)got + 1 > r->outcap) {
			size_t cap = r->outcap ? r->outcap * 2 : 65536;
			while (cap < r->outlen + (size_t)got + 1)
				cap *= 2;
			char *p = realloc(r->out, cap);
			if (!p) {
				r->too_big = true;
				break;
			}
			r->out = p;
			r->outcap = cap;
		}
		memcpy(r->out + r->outlen, buf, (size_t)got);
		r->outlen += (size_t)got;
	}
	loop_watch(r->loop, fd, 0, NULL, NULL);
	close(fd);
	r->fd[k] = -1;
}

static bool both_closed(void *arg)
{
	struct run *r = arg;
	return r->fd[0] < 0 && r->fd[1] < 0;
}

/* The last line of vtysh's stderr that says something: vtysh -N always
 * complains that /etc/frr/PATHSPACE/vtysh.conf does not exist, and a user
 * without access to the sockets gets a "Hint:" line after the reason. */
static void err_line(const char *text, char *dst, size_t len)
{
	char copy[1024];
	char *save = NULL, *line;
	bool hint = false;

	snprintf(copy, sizeof copy, "%s", text);
	dst[0] = '\0';
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "Hint:", 5))
			hint = true;
		else if (!strstr(line, "Can't open configuration file") &&
			 *line)
			nbr_copy_word(dst, len, line, strlen(line));
	}
	if (hint && strlen(dst) + 60 < len)
		strcat(dst, " (as this user: is it in the frrvty group?)");
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

/* Waits for the child until the deadline; kills its group then. */
static int reap(pid_t pid, int *status)
{
	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -1;
		if (deadline_passed()) {
			kill(-pid, SIGKILL);
			waitpid(pid, status, 0);
			return -1;
		}
		sleep_ms(5);
	}
}

static pid_t spawn(const char *vtysh, const char *pathspace, int out[2],
		   int errp[2])
{
	const char *argv[8];
	int n = 0;

	argv[n++] = vtysh;
	if (pathspace && *pathspace) {
		argv[n++] = "-N";
		argv[n++] = pathspace;
	}
	argv[n++] = "-c";
	argv[n++] = "show ipv6 ospf6 neighbor json";
	argv[n] = NULL;
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	/* Child: its own process group, so a hang is killed whole. */
	setpgid(0, 0);
	int devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(out[1], 1);
	dup2(errp[1], 2);
	execvp(vtysh, (char *const *)argv);
	dprintf(2, "cannot run %s: %s\n", vtysh, strerror(errno));
	_exit(127);
}

enum src_result frr_fetch(const char *vtysh, const char *pathspace,
			  struct nbr_list *out, char *err, size_t errlen)
{
	int po[2], pe[2], status = 0;
	struct loop loop;
	struct run r = {.loop = &loop};
	enum src_result res = SRC_OK;
	char why[300];

	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) {
		snprintf(err, errlen, "FRR: pipe: %s", strerror(errno));
		return SRC_UNREACHABLE;
	}
	deadline_step("running %s%s%s -c 'show ipv6 ospf6 neighbor json'",
		      vtysh, pathspace ? " -N " : "",
		      pathspace ? pathspace : "");
	pid_t pid = spawn(vtysh, pathspace, po, pe);
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		snprintf(err, errlen, "FRR: fork: %s", strerror(errno));
		close(po[0]);
		close(pe[0]);
		return SRC_UNREACHABLE;
	}
	setpgid(pid, pid);
	r.fd[0] = po[0];
	r.fd[1] = pe[0];
	loop_init(&loop);
	for (int k = 0; k < 2; k++) {
		fcntl(r.fd[k], F_SETFL, fcntl(r.fd[k], F_GETFL) | O_NONBLOCK);
		loop_watch(&loop, r.fd[k], POLLIN, on_read, &r);
	}
	bool closed = loop_run(&loop, both_closed, &r, -1) && !r.too_big;
	for (int k = 0; k < 2; k++)
		if (r.fd[k] >= 0) {
			loop_watch(&loop, r.fd[k], 0, NULL, NULL);
			close(r.fd[k]);
		}
	loop_free(&loop);
	if (!closed)
		kill(-pid, SIGKILL);
	bool exited = reap(pid, &status) == 0;
	err_line(r.errtext, why, sizeof why);
	vlog(3, "vtysh: %zu bytes, exit %d, stderr: %s\n", r.outlen,
	     exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1, why);
	if (r.too_big) {
		snprintf(err, errlen, "FRR: %s printed more than %u bytes",
			 vtysh, FRR_MAX_OUTPUT);
		res = SRC_MALFORMED;
	} else if (!closed || !exited) {
		snprintf(err, errlen,
			 "FRR: %s did not finish within the timeout (%.1f s); "
			 "killed",
			 vtysh, deadline_elapsed_s());
		res = SRC_TIMEOUT;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(err, errlen, "FRR: %s",
			 why[0] ? why : "cannot run vtysh");
		res = SRC_UNREACHABLE;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "FRR: vtysh%s%s failed (%s %d): %s",
			 pathspace ? " -N " : "", pathspace ? pathspace : "",
			 WIFEXITED(status) ? "exit" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status)
					   : WTERMSIG(status),
			 why[0] ? why : "no message");
		/* "% Unknown command": ospf6d answered, with an error. */
		res = why[0] == '%' ? SRC_ERROR : SRC_UNREACHABLE;
	} else if (r.outlen == 0) {
		snprintf(err, errlen,
			 "FRR: vtysh printed nothing (no ospf6d in this "
			 "pathspace or VRF?)%s%s",
			 why[0] ? ": " : "", why);
		res = SRC_MALFORMED;
	} else if (frr_parse(r.out, r.outlen, out, why, sizeof why)) {
		snprintf(err, errlen, "FRR: vtysh output: %s", why);
		res = SRC_MALFORMED;
	}
	free(r.out);
	return res;
}
