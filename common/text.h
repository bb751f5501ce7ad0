/* text: making outside text safe to print, a leaf module. Plugin output is
 * read by monitoring engines that split on '|' and newlines, and by JSON
 * parsers: hostile names, banners and daemon output must not break either. */
#ifndef V6OPS_TEXT_H
#define V6OPS_TEXT_H

#include <stddef.h>

/* Copies text into dst (size len) with '|' turned into '/', control
 * characters into spaces and bytes >= 0x80 into '?'. */
void text_sanitise(char *dst, size_t len, const char *text);

/* Writes text as a JSON string, quotes included, into dst (size len).
 * Returns the length written, or -1 when dst is too small (dst then holds
 * "" so the document stays valid). */
int text_json(char *dst, size_t len, const char *text);

/* Cuts text to at most max bytes at a phrase boundary ("; ", ", " or a
 * space) and appends "..." when anything was cut. Never splits a word. */
void text_cut(char *text, size_t max);

#endif
