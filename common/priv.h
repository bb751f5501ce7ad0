/* priv: give up every capability once the privileged sockets are open
 * (STYLE habit 10: open, drop, then think). Uses prctl(2) and capset(2)
 * directly, no libcap. */
#ifndef V6OPS_PRIV_H
#define V6OPS_PRIV_H

#include <stdbool.h>
#include <stddef.h>

/* True when the effective or permitted set holds any capability. */
bool priv_has_any(void);

/* Empties the ambient, bounding (as far as CAP_SETPCAP allows), inheritable,
 * permitted and effective sets, sets no_new_privs so no later execve() can
 * gain any, then reads the sets back to verify. A no-op (returns 0) for a
 * process that holds none. Returns 0, or -1 with the reason in err. */
int priv_drop(char *err, size_t errlen);

#endif
