#include "deadline.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

static double start_s, end_s;
static long timeout_ms = 10000;
static enum state timeout_state = STATE_UNKNOWN;
static const char *run_label = "CHECK";
static char step[128] = "starting";

/* The backstop's line is prepared outside the handler, in two buffers so
 * the handler never sees one half written. */
static char lines[2][1024];
static size_t line_len[2];
static volatile sig_atomic_t line_cur;

double mono_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void prepare_line(void)
{
	int next = !line_cur;
	char text[sizeof step + 64];

	snprintf(text, sizeof text, "timeout after %.3g s (step: %s)",
		 (double)timeout_ms / 1000, step);
	line_len[next] = report_format_single(lines[next], sizeof lines[next],
					      report_get_format(), run_label,
					      timeout_state, "timeout", text);
	line_cur = next;
}

static void backstop(int sig)
{
	(void)sig;
	int cur = line_cur;
	ssize_t w = write(STDOUT_FILENO, lines[cur], line_len[cur]);
	(void)w;
	_exit((int)timeout_state);
}

void deadline_start(const char *label, long ms, enum state on_timeout)
{
	struct sigaction sa;
	struct itimerval it = {0};
	long fire_ms = ms + DEADLINE_BACKSTOP_MS;

	run_label = label;
	timeout_ms = ms;
	timeout_state = on_timeout;
	start_s = mono_now_s();
	end_s = start_s + (double)ms / 1000;
	prepare_line();

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = backstop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	/* Writes to a closed peer are errors to report, not a reason to die. */
	signal(SIGPIPE, SIG_IGN);
	it.it_value.tv_sec = fire_ms / 1000;
	it.it_value.tv_usec = (fire_ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

void deadline_step(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(step, sizeof step, fmt, ap);
	va_end(ap);
	prepare_line();
}

const char *deadline_step_name(void)
{
	return step;
}

long deadline_remaining_ms(void)
{
	double left = end_s - mono_now_s();
	return left > 0 ? (long)(left * 1000 + 0.999) : 0;
}

bool deadline_passed(void)
{
	return mono_now_s() >= end_s;
}

double deadline_elapsed_s(void)
{
	return mono_now_s() - start_s;
}

long deadline_timeout_ms(void)
{
	return timeout_ms;
}

enum state deadline_timeout_state(void)
{
	return timeout_state;
}
