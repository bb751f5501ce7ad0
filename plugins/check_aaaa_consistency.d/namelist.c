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

int namelist_add(char ***names, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcasecmp((*names)[i], name))
			return 0;
	char **nv = realloc(*names, (*n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	*names = nv;
	if (!(nv[*n] = strdup(name)))
		return -1;
	(*n)++;
	return 0;
}

int namelist_read(const char *path, char ***names, size_t *n, char *err,
		  size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
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
	free(line);
	fclose(f);
	return rc;
}

void namelist_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
