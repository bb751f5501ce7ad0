/* opts: check_dualstack_http's options as validate() leaves them, read
 * by the plugin's run() and by verdict.c. */
#ifndef CHECK_DUALSTACK_HTTP_OPTS_H
#define CHECK_DUALSTACK_HTTP_OPTS_H

#include <stdbool.h>

#include "check_dualstack_http.d/dualstack.h"
#include "check_dualstack_http.d/webcheck.h"
#include "opt.h"
#include "range.h"
#include "status.h"

#define MAX_PINS 16
#define URL_LEN	 DUALSTACK_URL_LEN

enum { CMP_STATUS = 1, CMP_BODY = 2, CMP_CERT = 4, CMP_ALL = 7 };

struct pins {
	struct sockaddr_storage a[MAX_PINS];
	size_t n;
};

struct opts {
	const char *uri, *regex, *iregex, *user_agent, *method, *post, *ca_file,
	    *proxy, *userpwd, *client_cert, *client_key;
	long port, max_redirs, max_delta_ms, stall_ms;
	bool ssl, sni, insecure, no_compare, all_addresses, perf_phases;
	struct opt_list strings, headers;
	int http_version, compare;
	enum state no_aaaa, no_a;
	struct pins pins;
	struct webcheck wc; /* expect, onredirect, size, cert_days, invert */
	/* derived by validate() */
	char url[URL_LEN];
	char name[256];
	struct range delta_range; /* -max-delta..max-delta s, for perfdata */
};

#endif
