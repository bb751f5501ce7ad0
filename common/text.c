#include "text.h"

#include <stdio.h>
#include <string.h>

void text_sanitise(char *dst, size_t len, const char *text)
{
	size_t i = 0;

	if (len == 0)
		return;
	for (const unsigned char *c = (const unsigned char *)text;
	     *c && i + 1 < len; c++) {
		unsigned char ch = *c;
		if (ch == '|')
			ch = '/';
		else if (ch < 0x20 || ch == 0x7f)
			ch = ' ';
		else if (ch >= 0x80)
			ch = '?'; /* hostile bytes stay out of the output */
		dst[i++] = (char)ch;
	}
	dst[i] = '\0';
}

int text_json(char *dst, size_t len, const char *text)
{
	size_t i = 0;

	if (len < 3)
		return -1;
	dst[i++] = '"';
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		char esc[8];
		size_t n;
		if (*c == '"' || *c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*c;
			n = 2;
		} else if (*c < 0x20 || *c >= 0x7f) {
			/* Our text is sanitised ASCII; anything else is shown
			 * as a code point, never as raw bytes. */
			snprintf(esc, sizeof esc, "\\u%04x", *c);
			n = 6;
		} else {
			esc[0] = (char)*c;
			n = 1;
		}
		if (i + n + 2 > len) {
			snprintf(dst, len, "\"\"");
			return -1;
		}
		memcpy(dst + i, esc, n);
		i += n;
	}
	dst[i++] = '"';
	dst[i] = '\0';
	return (int)i;
}

void text_cut(char *text, size_t max)
{
	static const char *const marks[] = {"; ", ", ", " "};
	size_t len = strlen(text);

	if (len <= max)
		return;
	if (max < 4) {
		text[max] = '\0';
		return;
	}
	size_t room = max - 3; /* for "..." */
	for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
		size_t best = 0;
		size_t mlen = strlen(marks[m]);
		for (size_t i = 1; i + mlen <= room + 1 && i < len; i++)
			if (!strncmp(text + i, marks[m], mlen))
				best = i;
		/* A cut that keeps less than half is worse than a finer one. */
		if (best > room / 2) {
			memcpy(text + best, "...", 4);
			return;
		}
	}
	memcpy(text + room, "...", 4);
}
