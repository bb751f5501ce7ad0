#include "check_ospfv3_neighbors.d/nbr.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *word;
	enum nbr_state st;
} words[] = {
    {"down", NBR_DOWN},		{"attempt", NBR_ATTEMPT},
    {"init", NBR_INIT},		{"2-way", NBR_2WAY},
    {"twoway", NBR_2WAY},	{"2way", NBR_2WAY},
    {"exstart", NBR_EXSTART},	{"exchangestart", NBR_EXSTART},
    {"exchange", NBR_EXCHANGE}, {"loading", NBR_LOADING},
    {"full", NBR_FULL},
};

enum nbr_state nbr_state_parse(const char *word)
{
	size_t len = strcspn(word, "/");

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].word) == len &&
		    !strncasecmp(words[i].word, word, len))
			return words[i].st;
	return NBR_UNKNOWN;
}

const char *nbr_state_name(enum nbr_state st)
{
	switch (st) {
	case NBR_DOWN:
		return "Down";
	case NBR_ATTEMPT:
		return "Attempt";
	case NBR_INIT:
		return "Init";
	case NBR_2WAY:
		return "2-Way";
	case NBR_EXSTART:
		return "ExStart";
	case NBR_EXCHANGE:
		return "Exchange";
	case NBR_LOADING:
		return "Loading";
	case NBR_FULL:
		return "Full";
	case NBR_UNKNOWN:
		break;
	}
	return "unknown";
}

int nbr_rid_parse(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int part = 0; part < 4; part++) {
		unsigned n = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 3) {
			n = n * 10 + (unsigned)(*s - '0');
			s++;
			digits++;
		}
		if (!digits || n > 255)
			return -1;
		v = v << 8 | n;
		if (part < 3 && *s++ != '.')
			return -1;
	}
	if (*s)
		return -1;
	*out = v;
	return 0;
}

char *nbr_rid_format(uint32_t rid, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", rid >> 24, rid >> 16 & 255,
		 rid >> 8 & 255, rid & 255);
	return buf;
}

void nbr_add(struct nbr_list *l, const struct nbr *n)
{
	if (l->n >= NBR_MAX) {
		l->dropped++;
		return;
	}
	l->v[l->n++] = *n;
}

char *nbr_duration_format(long s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%ld s", s);
	else if (s < 3600)
		snprintf(buf, len, "%ldm%02lds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%ldh%02ldm", s / 3600, s / 60 % 60);
	else
		snprintf(buf, len, "%ldd%02ldh", s / 86400, s / 3600 % 24);
	return buf;
}

void nbr_copy_word(char *dst, size_t len, const char *src, size_t srclen)
{
	size_t i = 0;

	if (!len)
		return;
	for (; i + 1 < len && i < srclen && src[i]; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = c < 0x20 || c >= 0x7f || c == '|' ? '?' : (char)c;
	}
	dst[i] = '\0';
}
