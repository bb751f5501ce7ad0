#include "check_aaaa_consistency.d/namelist.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool namelist_valid(const char *name)
{
	size_t len = strlen(name), label = 0;

	if (name[len ? len - 1 : 0] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_')
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

/* The names seen, by a case-free hash: open addressing over indexes into
 * the list, rebuilt when half full. One table per process: a plugin reads
 * one list. */
static struct {
	char ***names; /* the list it indexes */
	size_t *slot;  /* index + 1; 0: free */
	size_t cap;
} seen;

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (size_t)tolower((unsigned char)*s)) * 1099511628211u;
	return h;
}

static size_t *lookup(char **names, const char *name)
{
	size_t i = hash(name) & (seen.cap - 1);

	while (seen.slot[i] && strcasecmp(names[seen.slot[i] - 1], name))
		i = (i + 1) & (seen.cap - 1);
	return &seen.slot[i];
}

static int grow(char **names, size_t n)
{
	size_t cap = seen.cap ? seen.cap * 2 : 256;
	size_t *slot = calloc(cap, sizeof *slot);

	if (!slot)
		return -1;
	free(seen.slot);
	seen.slot = slot;
	seen.cap = cap;
	for (size_t i = 0; i < n; i++)
		*lookup(names, names[i]) = i + 1;
	return 0;
}

int namelist_add(char ***names, size_t *n, const char *name)
{
	if (seen.names != names) { /* another list: start afresh */
		free(seen.slot);
		seen.slot = NULL;
		seen.cap = 0;
		seen.names = names;
	}
	while ((*n + 1) * 2 > seen.cap)
		if (grow(*names, *n) < 0)
			return -1;
	size_t *slot = lookup(*names, name);
	if (*slot)
		return 0;
	char **nv = realloc(*names, (*n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	*names = nv;
	if (!(nv[*n] = strdup(name)))
		return -1;
	*slot = ++*n;
	return 0;
}

/* One line of at most NAMELIST_MAX_LINE bytes into buf (NUL-terminated,
 * without its newline): 1, 0 at the end of the file, -1 when the line is
 * longer (it is not read further). A NUL byte counts as a character, so
 * /dev/zero is one endless line. *total counts every byte read. */
static int read_line(FILE *f, char *buf, size_t *len, long *total)
{
	int c;

	*len = 0;
	while ((c = getc(f)) != EOF) {
		++*total;
		if (c == '\n')
			break;
		if (*len == NAMELIST_MAX_LINE)
			return -1;
		buf[(*len)++] = c ? (char)c : ' ';
	}
	buf[*len] = '\0';
	return c != EOF || *len ? 1 : 0;
}

int namelist_read(const char *path, char ***names, size_t *n, char *err,
		  size_t errlen)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = namelist_parse(f, path, names, n, err, errlen);
	fclose(f);
	return rc;
}

int namelist_parse(FILE *f, const char *path, char ***names, size_t *n,
		   char *err, size_t errlen)
{
	char line[NAMELIST_MAX_LINE + 1];
	size_t len, named = 0;
	unsigned lineno = 0;
	long total = 0;
	int rc = 0, got;

	while ((got = read_line(f, line, &len, &total)) != 0) {
		lineno++;
		if (got < 0) {
			snprintf(err, errlen,
				 "%s line %u: longer than %d bytes", path,
				 lineno, NAMELIST_MAX_LINE);
			rc = -1;
			break;
		}
		if (total > NAMELIST_MAX_BYTES) {
			snprintf(err, errlen,
				 "%s: more than %ld bytes (line %u)", path,
				 NAMELIST_MAX_BYTES, lineno);
			rc = -1;
			break;
		}
		char *s = line, *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		while (isspace((unsigned char)*s))
			s++;
		char *e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (!*s)
			continue;
		if (!namelist_valid(s)) {
			snprintf(err, errlen,
				 "%s line %u: \"%.64s\" is not a host name",
				 path, lineno, s);
			rc = -1;
			break;
		}
		if (++named > NAMELIST_MAX_NAMES) {
			snprintf(err, errlen,
				 "%s: more than %d names (line %u)", path,
				 NAMELIST_MAX_NAMES, lineno);
			rc = -1;
			break;
		}
		if (namelist_add(names, n, s) < 0) {
			snprintf(err, errlen, "%s: out of memory", path);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

void namelist_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(seen.slot);
	seen.slot = NULL;
	seen.names = NULL;
	seen.cap = 0;
}
