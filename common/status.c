#include "status.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

const char *state_name(enum state st)
{
	return (unsigned)st <= STATE_UNKNOWN ? names[st] : "UNKNOWN";
}

static int rank(enum state st)
{
	switch (st) {
	case STATE_OK:
		return 0;
	case STATE_UNKNOWN:
		return 1;
	case STATE_WARNING:
		return 2;
	case STATE_CRITICAL:
		return 3;
	}
	return 1;
}

enum state state_worst(enum state a, enum state b)
{
	return rank(a) >= rank(b) ? a : b;
}

int state_parse(const char *text, enum state *out)
{
	for (int i = 0; i <= STATE_UNKNOWN; i++) {
		char digit[2] = {(char)('0' + i), 0};
		if (!strcasecmp(text, names[i]) || !strcmp(text, digit)) {
			*out = (enum state)i;
			return 0;
		}
	}
	return -1;
}
