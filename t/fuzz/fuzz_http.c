/* HTTP responses as check_dualstack_http reads them: the header lines
 * through curl's header callback (status line and reason, the header
 * cap), the body through the body callback in pieces of varying size
 * (the body cap), then the content checks of -s, -r and -m on what was
 * kept. Seeds: t/data/fuzz/http (the lab's answers and the hostile
 * servers' ones). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_dualstack_http.d/webcheck.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct webcheck w;
	static bool ready;
	static const char *const strings[] = {"Welcome", "END-OF-LARGE-PAGE"};
	struct http_opts o = {.body_cap = 4096};
	struct http_xfer x;
	char err[200];

	if (!ready) {
		w.strings = strings;
		w.nstrings = 2;
		w.size = (struct webcheck_limits){true, 10, 100000};
		webcheck_regex(&w, "v6ops[a-z]+lab", true, err, sizeof err);
		ready = true;
	}
	memset(&x, 0, sizeof x);
	x.o = &o;
	x.url = "http://www.lab.test/";
	/* Header lines up to the first empty one, then the body. */
	size_t pos = 0;
	while (pos < size) {
		const uint8_t *nl = memchr(data + pos, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - (data + pos)) + 1 : size - pos;
		char line[70000];
		memcpy(line, data + pos, len);
		pos += len;
		if (http_header_cb(line, 1, len, &x) != len)
			break; /* the header cap: curl would end it here */
		if (len <= 2)
			break;
	}
	for (size_t step = 1; pos < size; step = step * 3 % 977 + 1) {
		size_t len = step < size - pos ? step : size - pos;
		if (http_body_cb((char *)data + pos, 1, len, &x) != len)
			abort(); /* the body is kept up to its cap, never
				    refused */
		pos += len;
	}
	if (x.body_len > o.body_cap || (x.body && x.body[x.body_len]))
		abort();
	x.status = 200;
	struct webcheck_verdict v = {.st = STATE_OK};
	webcheck_judge(&w, &x, time(NULL), &v);
	(void)http_body_has(&x, "Welcome");
	http_xfer_release(&x);
	return 0;
}
