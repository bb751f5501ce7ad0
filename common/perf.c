#include "perf.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "num.h"

static const char *const units[] = {"s",  "ms", "us", "%", "B", "KB",
				    "MB", "GB", "TB", "c", NULL};

static bool unit_ok(const char *uom)
{
	if (!uom || !*uom)
		return true;
	for (size_t i = 0; units[i]; i++)
		if (!strcmp(uom, units[i]))
			return true;
	return false;
}

/* Appends to buf at *pos; false when it does not fit. */
static bool put(char *buf, size_t len, size_t *pos, const char *s)
{
	size_t n = strlen(s);
	if (*pos + n >= len)
		return false;
	memcpy(buf + *pos, s, n + 1);
	*pos += n;
	return true;
}

static bool put_label(char *buf, size_t len, size_t *pos, const char *label)
{
	bool quote = strpbrk(label, " ='") != NULL;

	if (quote && !put(buf, len, pos, "'"))
		return false;
	for (const char *c = label; *c; c++) {
		char one[3] = {*c, 0, 0};
		if (*c == '\'')
			one[1] = '\''; /* a quote inside is doubled */
		if (!put(buf, len, pos, one))
			return false;
	}
	return !quote || put(buf, len, pos, "'");
}

int perf_format(char *buf, size_t len, const struct perf *p)
{
	char field[5][40] = {"", "", "", "", ""};
	size_t pos = 0;

	if (!p->label || !*p->label || !unit_ok(p->uom) || len == 0)
		return -1;
	buf[0] = '\0';
	num_format(p->value, field[0], sizeof field[0]);
	if (!isnan(p->value) && p->uom)
		strncat(field[0], p->uom,
			sizeof field[0] - strlen(field[0]) - 1);
	range_format(p->warn, field[1], sizeof field[1]);
	range_format(p->crit, field[2], sizeof field[2]);
	if (!isnan(p->min))
		num_format(p->min, field[3], sizeof field[3]);
	if (!isnan(p->max))
		num_format(p->max, field[4], sizeof field[4]);

	int last = 0; /* trailing empty fields are dropped */
	for (int i = 1; i < 5; i++)
		if (field[i][0])
			last = i;
	if (!put_label(buf, len, &pos, p->label) || !put(buf, len, &pos, "="))
		return -1;
	for (int i = 0; i <= last; i++)
		if ((i > 0 && !put(buf, len, &pos, ";")) ||
		    !put(buf, len, &pos, field[i]))
			return -1;
	return (int)pos;
}
