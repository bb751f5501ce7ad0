#include "priv.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* glibc has no wrappers for capget/capset; libcap is one more dependency
 * for four system calls. */
static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};

	memset(d, 0, 2 * sizeof *d);
	return (int)syscall(SYS_capget, &h, d);
}

static int caps_clear(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof d);
	return (int)syscall(SYS_capset, &h, d);
}

bool priv_has_any(void)
{
	struct __user_cap_data_struct d[2];

	if (caps_get(d))
		return true; /* cannot tell: assume the worst */
	return d[0].effective || d[1].effective || d[0].permitted ||
	       d[1].permitted;
}

int priv_drop(char *err, size_t errlen)
{
	struct __user_cap_data_struct d[2];

	if (!priv_has_any())
		return 0;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	/* The bounding set first: dropping from it needs CAP_SETPCAP, which
	 * the capset below takes away. EPERM (no CAP_SETPCAP) and EINVAL
	 * (past the kernel's last capability) end the walk. */
	for (int cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EPERM)
			break;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, errlen, "cannot set no_new_privs: %s",
			 strerror(errno));
		return -1;
	}
	if (caps_clear()) {
		snprintf(err, errlen, "cannot drop capabilities: %s",
			 strerror(errno));
		return -1;
	}
	if (caps_get(d) || d[0].effective || d[1].effective || d[0].permitted ||
	    d[1].permitted || d[0].inheritable || d[1].inheritable) {
		snprintf(err, errlen,
			 "capabilities still held after dropping "
			 "them");
		return -1;
	}
	return 0;
}
