/* log: verbosity (-v, repeatable) and the lines it allows, on stderr only,
 * so the plugin's result on stdout never changes with -v. A leaf module:
 * it depends on nothing of ours.
 *   -v    what was probed and what came back, one line each
 *   -vv   per-attempt detail (sizes, retries, timings)
 *   -vvv  protocol steps (DNS queries and answers, netlink, sockets) */
#ifndef V6OPS_LOG_H
#define V6OPS_LOG_H

void log_set_verbosity(int level);
int log_verbosity(void);

/* Writes to stderr when -v was given at least level times. */
void vlog(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
