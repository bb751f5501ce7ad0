/* loop: one poll(2) loop that drives everything of a phase at once:
 * c-ares' sockets, curl's multi interface and our own probe sockets
 * (ARCHITECTURE "Concurrency"; STYLE habit 12: poll, not select).
 * Bounded by the run's deadline. No threads. */
#ifndef V6OPS_LOOP_H
#define V6OPS_LOOP_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*loop_fd_cb)(int fd, short revents, void *arg);

/* A timer source: next_ms() returns milliseconds until it wants fire()
 * called (0: now), or -1 when it has nothing pending. */
struct loop_timer {
	long (*next_ms)(void *arg);
	void (*fire)(void *arg);
	void *arg;
};

struct loop_watch {
	int fd;
	short events; /* POLLIN | POLLOUT */
	loop_fd_cb cb;
	void *arg;
};

#define LOOP_MAX_TIMERS 8

struct loop {
	struct loop_watch *w;
	size_t nw, cap;
	struct loop_timer t[LOOP_MAX_TIMERS];
	size_t nt;
};

void loop_init(struct loop *l);
void loop_free(struct loop *l);

/* Watches fd for events (replacing an earlier watch of the same fd);
 * events == 0 removes the watch. Returns 0, or -1 when out of memory. */
int loop_watch(struct loop *l, int fd, short events, loop_fd_cb cb, void *arg);

/* Adds a timer source; returns 0, or -1 when LOOP_MAX_TIMERS are in use. */
int loop_add_timer(struct loop *l, long (*next_ms)(void *),
		   void (*fire)(void *), void *arg);

/* Removes every timer source registered with arg (before arg is freed). */
void loop_del_timer(struct loop *l, void *arg);

/* Runs until done(arg) returns true (returns true), until the deadline
 * passes, or until limit_ms more milliseconds have gone by (limit_ms < 0: no
 * limit of its own); returns false then. Callbacks may add and remove
 * watches. */
bool loop_run(struct loop *l, bool (*done)(void *), void *arg, long limit_ms);

#endif
