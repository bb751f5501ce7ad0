/* namelist: a file of host names, one a line, for auditing many names in
 * one run (-f FILE). '#' starts a comment, blank lines are skipped, white
 * space around a name is dropped. Every name is checked as a DNS host name
 * (RFC 1035 2.3.4 lengths; letters, digits, '-', '_' and '.'), so a typo is
 * reported with its line number instead of being asked of a DNS server. */
#ifndef V6OPS_NAMELIST_H
#define V6OPS_NAMELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A names file's limits (issue 9): breaking one is an error, read in
 * bounded memory, so /dev/zero or a FIFO fed forever ends at once. */
#define NAMELIST_MAX_LINE  1024	       /* bytes in one line */
#define NAMELIST_MAX_NAMES 100000      /* lines with a name */
#define NAMELIST_MAX_BYTES (16L << 20) /* the whole file */

/* Appends the names of the file at path to *names (*n of them so far,
 * realloc'd; each name malloc'd). Returns 0, or -1 with the reason in err
 * ("names.txt line 3: \"a b\" is not a host name", "names.txt: No such
 * file or directory"); names read before an error stay in *names. */
int namelist_read(const char *path, char ***names, size_t *n, char *err,
		  size_t errlen);

/* The same from an open stream; path names it in the errors. */
int namelist_parse(FILE *f, const char *path, char ***names, size_t *n,
		   char *err, size_t errlen);

/* Appends a copy of name unless it is already in the list (any case).
 * 0, or -1 when out of memory. namelist_read() adds through this too. A
 * hash of the names seen keeps this linear in the number of names. */
int namelist_add(char ***names, size_t *n, const char *name);

void namelist_free(char **names, size_t n);

/* True for a syntactically valid host name (a trailing dot allowed). */
bool namelist_valid(const char *name);

#endif
