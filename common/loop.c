#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"

void loop_init(struct loop *l)
{
	memset(l, 0, sizeof *l);
}

void loop_free(struct loop *l)
{
	free(l->w);
	memset(l, 0, sizeof *l);
}

static struct loop_watch *find(struct loop *l, int fd)
{
	for (size_t i = 0; i < l->nw; i++)
		if (l->w[i].fd == fd)
			return &l->w[i];
	return NULL;
}

int loop_watch(struct loop *l, int fd, short events, loop_fd_cb cb, void *arg)
{
	struct loop_watch *w = find(l, fd);

	if (events == 0) {
		if (w)
			*w = l->w[--l->nw];
		return 0;
	}
	if (!w) {
		if (l->nw == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 32;
			void *nw = realloc(l->w, cap * sizeof *l->w);
			if (!nw)
				return -1;
			l->w = nw;
			l->cap = cap;
		}
		w = &l->w[l->nw++];
	}
	*w = (struct loop_watch){fd, events, cb, arg};
	return 0;
}

int loop_add_timer(struct loop *l, long (*next_ms)(void *),
		   void (*fire)(void *), void *arg)
{
	if (l->nt == LOOP_MAX_TIMERS)
		return -1;
	l->t[l->nt++] = (struct loop_timer){next_ms, fire, arg};
	return 0;
}

void loop_del_timer(struct loop *l, void *arg)
{
	for (size_t i = 0; i < l->nt;)
		if (l->t[i].arg == arg)
			l->t[i] = l->t[--l->nt];
		else
			i++;
}

static long min_wait(long a, long b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

static void fire_due(struct loop *l)
{
	for (size_t i = 0; i < l->nt; i++)
		if (l->t[i].next_ms(l->t[i].arg) == 0)
			l->t[i].fire(l->t[i].arg);
}

bool loop_run(struct loop *l, bool (*done)(void *), void *arg, long limit_ms)
{
	double until =
	    limit_ms >= 0 ? mono_now_s() + (double)limit_ms / 1000 : 0;
	struct pollfd *pfd = NULL;
	size_t pcap = 0;
	bool finished = false;

	for (;;) {
		fire_due(l);
		if (done(arg)) {
			finished = true;
			break;
		}
		long wait = deadline_remaining_ms();
		if (limit_ms >= 0) {
			/* Past the limit is 0, not "no limit" (min_wait's -1).
			 */
			long lim =
			    (long)((until - mono_now_s()) * 1000 + 0.999);
			wait = min_wait(wait, lim > 0 ? lim : 0);
		}
		if (wait <= 0)
			break;
		for (size_t i = 0; i < l->nt; i++)
			wait = min_wait(wait, l->t[i].next_ms(l->t[i].arg));
		if (l->nw > pcap) {
			void *np = realloc(pfd, l->nw * sizeof *pfd);
			if (!np)
				break;
			pfd = np;
			pcap = l->nw;
		}
		size_t n = l->nw;
		for (size_t i = 0; i < n; i++)
			pfd[i] = (struct pollfd){l->w[i].fd, l->w[i].events, 0};
		int rc = poll(pfd, n, wait < 0 ? 0 : (int)wait);
		if (rc < 0 && errno != EINTR)
			break;
		for (size_t i = 0; rc > 0 && i < n; i++) {
			if (!pfd[i].revents)
				continue;
			/* a callback may have removed or replaced this watch */
			struct loop_watch *w = find(l, pfd[i].fd);
			if (w)
				w->cb(w->fd, pfd[i].revents, w->arg);
		}
	}
	free(pfd);
	return finished;
}
