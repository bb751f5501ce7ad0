/* http: libcurl multi on the shared poll loop. curl tells us which sockets
 * to watch (CURLMOPT_SOCKETFUNCTION) and when it wants the clock
 * (CURLMOPT_TIMERFUNCTION); the loop hands readiness back through
 * curl_multi_socket_action(). */
#include "http.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "addr.h"
#include "deadline.h"
#include "log.h"
#include "version.h"
#include "num.h"

/* Time kept back from the run's deadline for each transfer, so curl ends
 * it itself and the plugin still has time to judge and print. */
#define HTTP_DEADLINE_MARGIN_MS 150

struct http_ctx {
	struct loop *loop;
	CURLM *multi;
	double timer_at; /* monotonic seconds; < 0: curl wants no timer */
	struct http_xfer **run;
	size_t nrun, cap;
};

static int ssl_idx = -1;

static void complete(struct http_ctx *c, struct http_xfer *x, CURLcode code,
		     bool at_deadline);

static void collect(struct http_ctx *c)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(c->multi, &left))) {
		struct http_xfer *x = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
				  (char **)&x);
		if (x)
			complete(c, x, m->data.result, false);
	}
}

static void on_fd(int fd, short revents, void *arg)
{
	struct http_ctx *c = arg;
	int flags = 0, running;

	if (revents & POLLIN)
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP | POLLNVAL))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(c->multi, fd, flags, &running);
	collect(c);
}

static int on_socket(CURL *e, curl_socket_t fd, int what, void *userp,
		     void *sockp)
{
	struct http_ctx *c = userp;
	short ev = 0;

	(void)e;
	(void)sockp;
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		ev |= POLLIN;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		ev |= POLLOUT;
	/* Out of memory leaves the transfer to its timeout: an honest end. */
	(void)loop_watch(c->loop, fd, what == CURL_POLL_REMOVE ? 0 : ev, on_fd,
			 c);
	return 0;
}

static int on_timer(CURLM *m, long timeout_ms, void *userp)
{
	struct http_ctx *c = userp;

	(void)m;
	c->timer_at =
	    timeout_ms < 0 ? -1 : mono_now_s() + (double)timeout_ms / 1000;
	return 0;
}

/* When transfer x counts as stalled (monotonic seconds), or < 0 when it
 * is not watched: only a stall time the caller asked for ends a transfer
 * early; the default one only judges what the deadline cut. */
static double stall_at(const struct http_xfer *x)
{
	if (!x->o || x->o->stall_ms <= 0)
		return -1;
	return x->last_byte_s + (double)x->o->stall_ms / 1000;
}

static double next_at(const struct http_ctx *c)
{
	double at = c->timer_at;

	for (size_t i = 0; i < c->nrun; i++) {
		double s = stall_at(c->run[i]);
		if (s >= 0 && (at < 0 || s < at))
			at = s;
	}
	return at;
}

static long next_ms(void *arg)
{
	struct http_ctx *c = arg;
	double at = c->nrun ? next_at(c) : -1;

	if (at < 0)
		return -1;
	double left = (at - mono_now_s()) * 1000;
	return left <= 0 ? 0 : (long)(left + 0.999);
}

/* Ends the first transfer that has had no byte for its stall time; true
 * when one was ended (the list changed: look again). */
static bool end_one_stall(struct http_ctx *c, double now)
{
	for (size_t i = 0; i < c->nrun; i++) {
		struct http_xfer *x = c->run[i];
		double s = stall_at(x);
		if (s >= 0 && s <= now) {
			x->stall_abort = true;
			complete(c, x, CURLE_OPERATION_TIMEDOUT, false);
			return true;
		}
	}
	return false;
}

static void fire(void *arg)
{
	struct http_ctx *c = arg;
	double now = mono_now_s();
	int running;

	while (end_one_stall(c, now))
		;
	if (c->timer_at < 0 || c->timer_at > now)
		return;
	c->timer_at = -1; /* curl may set a new one from inside */
	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	collect(c);
}

struct http_ctx *http_new(struct loop *l, char *err, size_t errlen)
{
	struct http_ctx *c = calloc(1, sizeof *c);

	if (!c || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "HTTP engine: out of memory");
		free(c);
		return NULL;
	}
	if (ssl_idx < 0)
		ssl_idx = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	c->loop = l;
	c->timer_at = -1;
	c->multi = curl_multi_init();
	if (!c->multi || ssl_idx < 0 ||
	    loop_add_timer(l, next_ms, fire, c) < 0) {
		snprintf(err, errlen, "HTTP engine: %s",
			 c->multi ? "no loop timer left" : "out of memory");
		if (c->multi)
			curl_multi_cleanup(c->multi);
		curl_global_cleanup();
		free(c);
		return NULL;
	}
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	return c;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_xfer *x = arg;
	size_t len = size * n;
	size_t cap =
	    x->o && x->o->body_cap ? x->o->body_cap : HTTP_BODY_CAP_DEFAULT;

	x->body_bytes += (long long)len;
	x->last_byte_s = mono_now_s();
	if (x->first_rx_s <= 0)
		x->first_rx_s = x->last_byte_s;
	if (x->md)
		EVP_DigestUpdate(x->md, p, len);
	size_t keep = x->body_len < cap ? cap - x->body_len : 0;
	keep = keep < len ? keep : len;
	if (keep && x->body_len + keep + 1 > x->body_alloc) {
		/* grow by doubling: a body arriving in 16 KB pieces must not
		 * cost a copy of everything so far per piece */
		size_t want = x->body_len + keep + 1;
		size_t grow = x->body_alloc ? x->body_alloc * 2 : 16384;
		grow = grow < want ? want : grow;
		grow = grow > cap + 1 ? cap + 1 : grow;
		char *nb = realloc(x->body, grow);
		if (!nb)
			return 0; /* curl ends it with CURLE_WRITE_ERROR */
		x->body = nb;
		x->body_alloc = grow;
	}
	if (keep) {
		memcpy(x->body + x->body_len, p, keep);
		x->body_len += keep;
		x->body[x->body_len] = '\0';
	}
	if (keep < len)
		x->body_truncated = true;
	return len;
}

/* Keeps the reason phrase of the last status line ("HTTP/1.1 404 Not
 * Found"); HTTP/2 has none. */
static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct http_xfer *x = arg;
	size_t len = size * n;

	x->last_byte_s = mono_now_s();
	if (x->first_rx_s <= 0)
		x->first_rx_s = x->last_byte_s;
	x->header_seen += (long long)len;
	if (x->header_seen > (long long)HTTP_HEADER_CAP) {
		x->header_flood = true;
		return 0; /* curl ends it with CURLE_WRITE_ERROR */
	}
	if (len > 5 && !strncmp(p, "HTTP/", 5)) {
		const char *sp = memchr(p, ' ', len);
		const char *end = p + len;
		x->reason[0] = '\0';
		if (sp && end - sp > 5 && sp[4] == ' ') {
			const char *r = sp + 5;
			size_t rl = (size_t)(end - r);
			while (rl && (r[rl - 1] == '\r' || r[rl - 1] == '\n'))
				rl--;
			if (rl >= sizeof x->reason)
				rl = sizeof x->reason - 1;
			memcpy(x->reason, r, rl);
			x->reason[rl] = '\0';
		}
	}
	return len;
}

static void bio_text(BIO *b, char *buf, size_t len)
{
	int n = BIO_read(b, buf, (int)len - 1);
	buf[n > 0 ? n : 0] = '\0';
}

static void name_text(const X509_NAME *nm, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());

	buf[0] = '\0';
	if (!b)
		return;
	X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253);
	bio_text(b, buf, len);
	BIO_free(b);
}

static void san_text(X509 *cert, char *buf, size_t len)
{
	GENERAL_NAMES *g =
	    X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	size_t pos = 0;

	buf[0] = '\0';
	for (int i = 0; g && i < sk_GENERAL_NAME_num(g) && pos + 1 < len; i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(g, i);
		char one[300] = "";
		if (gn->type == GEN_DNS) {
			const ASN1_STRING *s = gn->d.dNSName;
			snprintf(one, sizeof one, "DNS:%.*s",
				 ASN1_STRING_length(s),
				 (const char *)ASN1_STRING_get0_data(s));
		} else if (gn->type == GEN_IPADD) {
			const ASN1_OCTET_STRING *s = gn->d.iPAddress;
			char a[INET6_ADDRSTRLEN] = "?";
			int l = ASN1_STRING_length(s);
			if (l == 4 || l == 16)
				inet_ntop(l == 4 ? AF_INET : AF_INET6,
					  ASN1_STRING_get0_data(s), a,
					  sizeof a);
			snprintf(one, sizeof one, "IP:%s", a);
		} else {
			continue;
		}
		int n =
		    snprintf(buf + pos, len - pos, "%s%s", pos ? "," : "", one);
		if (n < 0)
			break;
		pos += (size_t)n;
	}
	GENERAL_NAMES_free(g);
}

static void record_cert(struct http_tls *t, X509 *cert)
{
	struct tm tm;

	t->seen = true;
	t->chain_ok = true;
	name_text(X509_get_subject_name(cert), t->subject, sizeof t->subject);
	name_text(X509_get_issuer_name(cert), t->issuer, sizeof t->issuer);
	san_text(cert, t->san, sizeof t->san);
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	snprintf(t->serial, sizeof t->serial, "%s", hex ? hex : "");
	OPENSSL_free(hex);
	BN_free(bn);
	if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1)
		t->not_after = timegm(&tm);
}

/* Sees the server's certificate whatever the verdict, so a rejected one
 * can still be described; the verdict itself stays OpenSSL's. */
static int on_verify(int ok, X509_STORE_CTX *sc)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(
	    sc, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct http_xfer *x =
	    ssl ? SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ssl_idx) : NULL;

	if (!x)
		return ok;
	X509 *leaf = X509_STORE_CTX_get0_cert(sc);
	if (!x->tls.seen && leaf)
		record_cert(&x->tls, leaf);
	if (!ok && x->tls.chain_ok) {
		x->tls.chain_ok = false;
		x->tls.verify_depth = X509_STORE_CTX_get_error_depth(sc);
		snprintf(x->tls.verify_error, sizeof x->tls.verify_error, "%s",
			 X509_verify_cert_error_string(
			     X509_STORE_CTX_get_error(sc)));
	}
	return ok;
}

/* curl calls this after its own SSL_CTX set-up and before SSL_new(): the
 * verify mode stays curl's, only our observer is added. */
/* Watches the handshake: a ClientHello written means TCP is up; a
 * message from the server means it answers. Either is progress, so a
 * handshake that hangs is told apart from a SYN without answer. */
static void on_tls_msg(int write_p, int version, int content_type,
		       const void *buf, size_t len, SSL *ssl, void *arg)
{
	struct http_xfer *x =
	    SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ssl_idx);

	(void)version;
	(void)buf;
	(void)len;
	(void)arg;
	if (!x || content_type == SSL3_RT_HEADER ||
	    content_type == SSL3_RT_INNER_CONTENT_TYPE)
		return;
	x->tcp_up = true;
	x->last_byte_s = mono_now_s();
	if (write_p)
		x->tls_hello_sent = true;
	else
		x->tls_answered = true;
}

static CURLcode on_ssl_ctx(CURL *e, void *ctx, void *arg)
{
	(void)e;
	SSL_CTX_set_ex_data(ctx, ssl_idx, arg);
	SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), on_verify);
	SSL_CTX_set_msg_callback(ctx, on_tls_msg);
	return CURLE_OK;
}

/* Called once connected (and past TLS), just before the request goes. */
static int on_prereq(void *arg, char *primary_ip, char *local_ip,
		     int primary_port, int local_port)
{
	struct http_xfer *x = arg;

	(void)primary_ip;
	(void)local_ip;
	(void)primary_port;
	(void)local_port;
	x->tcp_up = x->request_sent = true;
	x->last_byte_s = mono_now_s();
	return CURL_PREREQFUNC_OK;
}

/* -vvv: curl's own account of the protocol steps, on stderr. */
static int on_debug(CURL *e, curl_infotype type, char *data, size_t size,
		    void *arg)
{
	static const char *const tag[] = {[CURLINFO_TEXT] = "*",
					  [CURLINFO_HEADER_IN] = "<",
					  [CURLINFO_HEADER_OUT] = ">"};
	const struct http_xfer *x = arg;
	char a[ADDR_STRLEN];

	(void)e;
	if (type != CURLINFO_TEXT && type != CURLINFO_HEADER_IN &&
	    type != CURLINFO_HEADER_OUT)
		return 0;
	while (size && (data[size - 1] == '\n' || data[size - 1] == '\r'))
		size--;
	addr_format((const struct sockaddr *)&x->addr, a, sizeof a);
	vlog(3, "http [%s] %s %.*s\n", a, tag[type],
	     (int)(size > 300 ? 300 : size), data);
	return 0;
}

/* With both --source and --interface: CURLOPT_INTERFACE takes the address,
 * the device is bound here. */
static int on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	const struct http_xfer *x = arg;
	const char *dev = x->o ? x->o->iface : NULL;

	if (purpose != CURLSOCKTYPE_IPCXN || !dev || !dev[0])
		return CURL_SOCKOPT_OK;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev,
		       (socklen_t)strlen(dev)) < 0) {
		vlog(1, "http: cannot bind to %s: %s\n", dev, strerror(errno));
		return CURL_SOCKOPT_ERROR;
	}
	return CURL_SOCKOPT_OK;
}

int http_client_cert_check(const char *cert, const char *key, char *err,
			   size_t errlen)
{
	static const char *const what[] = {
	    "client certificate cannot be loaded",
	    "private key cannot be loaded",
	    "private key does not match the client certificate",
	};
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	int stage = 0;

	if (!ctx) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ERR_clear_error();
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) == 1) {
		stage = 1;
		if (SSL_CTX_use_PrivateKey_file(ctx, key ? key : cert,
						SSL_FILETYPE_PEM) == 1) {
			stage = 2;
			if (SSL_CTX_check_private_key(ctx) == 1)
				stage = 3;
		}
	}
	if (stage < 3) {
		char e[160];
		ERR_error_string_n(ERR_peek_last_error(), e, sizeof e);
		const char *r = strrchr(e, ':');
		snprintf(err, errlen, "%s (%s)", what[stage], r ? r + 1 : e);
	}
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return stage < 3 ? -1 : 0;
}

int http_url_split(const char *url, struct http_url *u, char *err,
		   size_t errlen)
{
	CURLU *cu = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL,
	     *q = NULL;
	int rc = -1;

	memset(u, 0, sizeof *u);
	if (!cu || curl_url_set(cu, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(cu, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(cu, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(cu, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
		snprintf(err, errlen, "\"%.200s\" is not a URL", url);
	} else if (strcmp(scheme, "http") && strcmp(scheme, "https")) {
		snprintf(err, errlen, "scheme %.20s is not http or https",
			 scheme);
	} else {
		u->tls = !strcmp(scheme, "https");
		size_t hl = strlen(host);
		if (host[0] == '[' && hl > 2)
			snprintf(u->host, sizeof u->host, "%.*s", (int)(hl - 2),
				 host + 1);
		else
			snprintf(u->host, sizeof u->host, "%s", host);
		if (curl_url_get(cu, CURLUPART_PORT, &port, 0) == CURLUE_OK &&
		    num_long(port, 1, 65535, &u->port, err, errlen) < 0)
			u->port = 0;
		curl_url_get(cu, CURLUPART_QUERY, &q, 0);
		if (snprintf(u->path, sizeof u->path, "%s%s%s", path,
			     q ? "?" : "", q ? q : "") >= (int)sizeof u->path)
			snprintf(err, errlen, "URL path too long");
		else
			rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(q);
	curl_url_cleanup(cu);
	return rc;
}

void http_url_join(const struct http_url *u, char *buf, size_t len)
{
	bool v6 = strchr(u->host, ':') != NULL;
	long def = u->tls ? 443 : 80;
	char port[16] = "";

	if (u->port && u->port != def)
		snprintf(port, sizeof port, ":%ld", u->port);
	if (snprintf(buf, len, "%s://%s%s%s%s%s", u->tls ? "https" : "http",
		     v6 ? "[" : "", u->host, v6 ? "]" : "", port,
		     u->path[0] ? u->path : "/") < 0 &&
	    len)
		buf[0] = '\0';
}

/* "name:port:[addr]:port" for CURLOPT_CONNECT_TO, from the URL. */
static int connect_to_line(const struct http_xfer *x, char *buf, size_t len,
			   char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;
	char a[ADDR_STRLEN];
	int rc = -1;

	if (!u || curl_url_set(u, CURLUPART_URL, x->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
		CURLUE_OK) {
		snprintf(err, errlen, "bad URL \"%s\"", x->url);
	} else {
		addr_format((const struct sockaddr *)&x->addr, a, sizeof a);
		bool v6 = x->addr.ss_family == AF_INET6;
		snprintf(buf, len, "%s:%s:%s%s%s:%s", host, port, v6 ? "[" : "",
			 a, v6 ? "]" : "", port);
		rc = 0;
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

static long curl_version_opt(enum http_version v)
{
	switch (v) {
	case HTTP_VERSION_1_0:
		return CURL_HTTP_VERSION_1_0;
	case HTTP_VERSION_1_1:
		return CURL_HTTP_VERSION_1_1;
	case HTTP_VERSION_2:
		return CURL_HTTP_VERSION_2TLS;
	case HTTP_VERSION_ANY:
		break;
	}
	return CURL_HTTP_VERSION_NONE;
}

static int setup(struct http_xfer *x, CURL *e, char *err, size_t errlen)
{
	const struct http_opts *o = x->o;
	char line[ADDR_STRLEN + 600];
	struct curl_slist *h = NULL;
	CURLcode rc = CURLE_OK;

	if (connect_to_line(x, line, sizeof line, err, errlen) < 0)
		return -1;
	x->connect_to = curl_slist_append(NULL, line);
	for (size_t i = 0; i < o->nheaders; i++) {
		struct curl_slist *n = curl_slist_append(h, o->headers[i]);
		if (!n)
			break;
		h = n;
	}
	x->hdrs = h;
	long timeout = deadline_remaining_ms() - HTTP_DEADLINE_MARGIN_MS;
	/* Each setopt below can only fail on out of memory or an option
	 * this libcurl lacks; the first failure is reported. */
#define SET(opt, val) (rc = rc ? rc : curl_easy_setopt(e, opt, val))
	SET(CURLOPT_URL, x->url);
	SET(CURLOPT_CONNECT_TO, (struct curl_slist *)x->connect_to);
	SET(CURLOPT_PRIVATE, (char *)x);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT_MS, timeout > 1 ? timeout : 1L);
	SET(CURLOPT_FRESH_CONNECT, 1L);
	SET(CURLOPT_FORBID_REUSE, 1L);
	SET(CURLOPT_SSL_SESSIONID_CACHE,
	    0L); /* a resumed session hides the cert */
	SET(CURLOPT_PROXY, o->proxy ? o->proxy : "");
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_ERRORBUFFER, x->error);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, x);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, x);
	SET(CURLOPT_USERAGENT,
	    o->user_agent ? o->user_agent : "v6ops-plugins/" V6OPS_VERSION);
	SET(CURLOPT_HTTP_VERSION, curl_version_opt(o->version));
	if (h)
		SET(CURLOPT_HTTPHEADER, h);
	if (o->post)
		SET(CURLOPT_POSTFIELDS, o->post);
	if (o->method && !strcasecmp(o->method, "HEAD"))
		SET(CURLOPT_NOBODY, 1L);
	else if (o->method)
		SET(CURLOPT_CUSTOMREQUEST, o->method);
	if (log_verbosity() >= 3) {
		SET(CURLOPT_VERBOSE, 1L);
		SET(CURLOPT_DEBUGFUNCTION, on_debug);
		SET(CURLOPT_DEBUGDATA, x);
	}
	SET(CURLOPT_PREREQFUNCTION, on_prereq);
	SET(CURLOPT_PREREQDATA, x);
	if (o->ca_file)
		SET(CURLOPT_CAINFO, o->ca_file);
	if (o->client_cert) {
		SET(CURLOPT_SSLCERT, o->client_cert);
		SET(CURLOPT_SSLCERTTYPE, "PEM");
		SET(CURLOPT_SSLKEY,
		    o->client_key ? o->client_key : o->client_cert);
		SET(CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (o->userpwd) {
		SET(CURLOPT_USERPWD, o->userpwd);
		SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	}
	const char *src =
	    x->addr.ss_family == AF_INET6 ? o->source6 : o->source4;
	char itf[IF_NAMESIZE + ADDR_STRLEN + 8];
	itf[0] = '\0';
	if (src)
		snprintf(itf, sizeof itf, "host!%s", src);
	else if (o->iface && o->iface[0])
		snprintf(itf, sizeof itf, "if!%s", o->iface);
	if (itf[0])
		SET(CURLOPT_INTERFACE, itf);
	if (src && o->iface && o->iface[0]) {
		SET(CURLOPT_SOCKOPTFUNCTION, on_sockopt);
		SET(CURLOPT_SOCKOPTDATA, x);
	}
	if (o->insecure) {
		SET(CURLOPT_SSL_VERIFYPEER, 0L);
		SET(CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (!strncasecmp(x->url, "https:", 6)) {
		SET(CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
		SET(CURLOPT_SSL_CTX_DATA, x);
	}
#undef SET
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

static void reset_results(struct http_xfer *x)
{
	http_xfer_release(x);
	x->done = false;
	x->fail = HTTP_FAIL_NONE;
	x->curl_code = 0;
	x->error[0] = x->reason[0] = x->location[0] = '\0';
	x->os_errno = 0;
	x->status = 0;
	x->header_bytes = x->body_bytes = 0;
	x->content_length = -1;
	x->body_truncated = false;
	memset(x->digest, 0, sizeof x->digest);
	x->t_connect = x->t_tls = x->t_first_byte = x->t_total = 0;
	memset(&x->tls, 0, sizeof x->tls);
	x->deadline_phase = HTTP_PHASE_CONNECT;
	x->rate_Bps = 0;
	x->tcp_up = x->tls_hello_sent = x->tls_answered = false;
	x->request_sent = x->stall_abort = x->header_flood = false;
	x->header_seen = 0;
	x->first_rx_s = 0;
}

static void free_private(struct http_xfer *x)
{
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	curl_slist_free_all(x->connect_to);
	EVP_MD_CTX_free(x->md);
	x->easy = x->hdrs = x->connect_to = x->md = NULL;
}

int http_start(struct http_ctx *c, struct http_xfer *x, char *err,
	       size_t errlen)
{
	reset_results(x);
	x->ctx = c;
	x->started_s = x->last_byte_s = mono_now_s();
	x->easy = curl_easy_init();
	x->md = EVP_MD_CTX_new();
	if (!x->easy || !x->md ||
	    !EVP_DigestInit_ex(x->md, EVP_sha256(), NULL)) {
		snprintf(err, errlen, "HTTP engine: out of memory");
		goto fail;
	}
	if (setup(x, x->easy, err, errlen) < 0)
		goto fail;
	if (c->nrun == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		void *nr = realloc(c->run, cap * sizeof *c->run);
		if (!nr) {
			snprintf(err, errlen, "HTTP engine: out of memory");
			goto fail;
		}
		c->run = nr;
		c->cap = cap;
	}
	CURLMcode mc = curl_multi_add_handle(c->multi, x->easy);
	if (mc != CURLM_OK) {
		snprintf(err, errlen, "libcurl: %s", curl_multi_strerror(mc));
		goto fail;
	}
	c->run[c->nrun++] = x;
	vlog(2, "http: %s via %s started\n", x->url,
	     (const char *)((struct curl_slist *)x->connect_to)->data);
	return 0;
fail:
	free_private(x);
	x->done = true;
	x->fail = HTTP_FAIL_OTHER;
	snprintf(x->error, sizeof x->error, "%s", err);
	return -1;
}

static bool is_tls_error(CURLcode code)
{
	switch (code) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		return true;
	default:
		return false;
	}
}

static enum http_phase phase_of(const struct http_xfer *x)
{
	bool tls = !strncasecmp(x->url, "https:", 6);
	bool rx =
	    x->header_bytes > 0 || x->body_bytes > 0 || x->header_seen > 0;

	if (!x->tcp_up && x->t_connect <= 0 && !rx)
		return HTTP_PHASE_CONNECT;
	if (tls && x->t_tls <= 0 && !x->request_sent && !rx)
		return HTTP_PHASE_TLS;
	if (!rx)
		return HTTP_PHASE_WAIT;
	return HTTP_PHASE_RECEIVE;
}

/* A transfer that ran out of time: how far it got tells the story. No
 * byte for the stall time is a stall, a finding about the path or the
 * server; anything still moving when the deadline came is only cut. */
static enum http_fail timeout_class(struct http_xfer *x)
{
	long limit_ms =
	    x->o && x->o->stall_ms > 0 ? x->o->stall_ms : HTTP_STALL_DEFAULT_MS;
	double now = mono_now_s();
	double idle_ms = (now - x->last_byte_s) * 1000;
	enum http_phase ph = phase_of(x);

	x->deadline_phase = ph;
	if (x->first_rx_s > 0 && now > x->first_rx_s)
		x->rate_Bps = (double)x->body_bytes / (now - x->first_rx_s);
	if (!x->stall_abort && idle_ms < (double)limit_ms)
		return HTTP_FAIL_DEADLINE;
	switch (ph) {
	case HTTP_PHASE_CONNECT:
		return HTTP_FAIL_CONNECT_TIMEOUT;
	case HTTP_PHASE_TLS:
		return HTTP_FAIL_TLS_STALLED;
	case HTTP_PHASE_WAIT:
		return HTTP_FAIL_NO_RESPONSE;
	case HTTP_PHASE_RECEIVE:
		break;
	}
	return HTTP_FAIL_STALLED;
}

static enum http_fail classify(struct http_xfer *x, CURLcode code)
{
	if (x->header_flood)
		return HTTP_FAIL_HEADER_FLOOD;
	if ((code == CURLE_RECV_ERROR || code == CURLE_PARTIAL_FILE) &&
	    strcasestr(x->error, "chunk"))
		return HTTP_FAIL_CHUNKED;
	switch (code) {
	case CURLE_OK:
		return HTTP_FAIL_NONE;
	case CURLE_COULDNT_CONNECT:
		switch (x->os_errno) {
		case ECONNREFUSED:
			return HTTP_FAIL_REFUSED;
		case ETIMEDOUT:
			return HTTP_FAIL_CONNECT_TIMEOUT;
		case EHOSTUNREACH:
		case ENETUNREACH:
		case EACCES:
		case EPERM:
		case EHOSTDOWN:
		case ENETDOWN:
		case EADDRNOTAVAIL:
			return HTTP_FAIL_UNREACHABLE;
		default:
			return HTTP_FAIL_CONNECT;
		}
	case CURLE_OPERATION_TIMEDOUT:
		return timeout_class(x);
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return HTTP_FAIL_CUT;
	default:
		return is_tls_error(code) ? HTTP_FAIL_TLS : HTTP_FAIL_OTHER;
	}
}

static double info_s(CURL *e, CURLINFO what)
{
	curl_off_t us = 0;

	if (curl_easy_getinfo(e, what, &us) != CURLE_OK)
		return 0;
	return (double)us / 1e6;
}

static void take_info(struct http_xfer *x, CURL *e)
{
	curl_off_t cl = -1;
	long v = 0;
	char *loc = NULL;

	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &x->status);
	if (curl_easy_getinfo(e, CURLINFO_HEADER_SIZE, &v) == CURLE_OK)
		x->header_bytes = v;
	if (curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) ==
	    CURLE_OK)
		x->content_length = cl;
	if (curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &v) == CURLE_OK)
		x->os_errno = (int)v;
	if (curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
	    loc && x->status >= 300 && x->status < 400)
		snprintf(x->location, sizeof x->location, "%s", loc);
	x->t_connect = info_s(e, CURLINFO_CONNECT_TIME_T);
	x->t_tls = info_s(e, CURLINFO_APPCONNECT_TIME_T);
	x->t_first_byte =
	    x->header_bytes ? info_s(e, CURLINFO_STARTTRANSFER_TIME_T) : 0;
	x->t_total = mono_now_s() - x->started_s;
}

static void complete(struct http_ctx *c, struct http_xfer *x, CURLcode code,
		     bool at_deadline)
{
	unsigned int dlen = 0;

	for (size_t i = 0; i < c->nrun; i++)
		if (c->run[i] == x) {
			c->run[i] = c->run[--c->nrun];
			break;
		}
	take_info(x, x->easy);
	x->curl_code = (int)code;
	if (at_deadline)
		snprintf(x->error, sizeof x->error, "run deadline reached");
	x->fail = classify(x, code);
	if (x->md)
		EVP_DigestFinal_ex(x->md, x->digest, &dlen);
	curl_multi_remove_handle(c->multi, x->easy);
	free_private(x);
	x->done = true;
	char a[ADDR_STRLEN], why[200];
	addr_format((const struct sockaddr *)&x->addr, a, sizeof a);
	http_fail_text(x, why, sizeof why);
	vlog(1,
	     "http: %s via %s: HTTP %ld, %lld B in %.3f s%s%s (curl %d%s%s)\n",
	     x->url, a, x->status, x->body_bytes, x->t_total,
	     why[0] ? ": " : "", why, x->curl_code, x->error[0] ? ", " : "",
	     x->error);
	if (!at_deadline && x->on_done)
		x->on_done(x, x->arg);
}

bool http_idle(void *ctx)
{
	const struct http_ctx *c = ctx;
	return c->nrun == 0;
}

void http_finish(struct http_ctx *c)
{
	while (c->nrun)
		complete(c, c->run[c->nrun - 1], CURLE_OPERATION_TIMEDOUT,
			 true);
}

void http_free(struct http_ctx *c)
{
	if (!c)
		return;
	http_finish(c);
	curl_multi_cleanup(c->multi);
	loop_del_timer(c->loop, c);
	free(c->run);
	curl_global_cleanup();
	free(c);
}

void http_xfer_release(struct http_xfer *x)
{
	free(x->body);
	x->body = NULL;
	x->body_len = 0;
	x->body_alloc = 0;
}

static const char *errno_words(int e)
{
	switch (e) {
	case EHOSTUNREACH:
		return "host unreachable";
	case ENETUNREACH:
		return "network unreachable";
	case EACCES:
		return "administratively prohibited";
	case EPERM:
		return "blocked by a local filter";
	case EHOSTDOWN:
		return "host down";
	case ENETDOWN:
		return "network down";
	case EADDRNOTAVAIL:
		return "no usable source address";
	default:
		return strerror(e);
	}
}

static void size_text(const struct http_xfer *x, char *buf, size_t len)
{
	if (x->content_length >= 0)
		snprintf(buf, len, "%lld of %lld bytes", x->body_bytes,
			 x->content_length);
	else
		snprintf(buf, len, "%lld bytes", x->body_bytes);
}

/* curl's TLS words without the library prefix. */
static void tls_text(const struct http_xfer *x, char *buf, size_t len)
{
	const char *e = x->error;

	if (x->tls.seen && !x->tls.chain_ok)
		snprintf(buf, len, "certificate rejected: %s%s",
			 x->tls.verify_error,
			 x->tls.verify_depth > 0 ? " (in the chain)" : "");
	else if (x->curl_code == CURLE_PEER_FAILED_VERIFICATION &&
		 strstr(e, "subject name"))
		snprintf(buf, len, "certificate does not match the name");
	else {
		const char *r = strstr(e, "::");
		snprintf(buf, len, "TLS handshake failed: %s", r ? r + 2 : e);
	}
}

const char *http_phase_name(enum http_phase p)
{
	switch (p) {
	case HTTP_PHASE_CONNECT:
		return "connecting";
	case HTTP_PHASE_TLS:
		return "the TLS handshake";
	case HTTP_PHASE_WAIT:
		return "waiting for the response";
	case HTTP_PHASE_RECEIVE:
		break;
	}
	return "receiving the response";
}

/* "2048 KB/s", or "1 B/s" below a kilobyte a second. */
static void rate_text(double bps, char *buf, size_t len)
{
	if (bps >= 1024)
		snprintf(buf, len, "%.0f KB/s", bps / 1024);
	else
		snprintf(buf, len, "%.0f B/s", bps);
}

/* A transfer the deadline cut while it still moved: where, and how fast. */
static void deadline_text(const struct http_xfer *x, const char *sz, char *buf,
			  size_t len)
{
	const char *step = http_phase_name(x->deadline_phase);
	char rate[32];

	switch (x->deadline_phase) {
	case HTTP_PHASE_CONNECT:
		snprintf(buf, len,
			 "not connected after %.1f s when -t ran out during "
			 "%s",
			 x->t_total, step);
		return;
	case HTTP_PHASE_TLS:
		snprintf(buf, len,
			 "TLS handshake did not finish in %.1f s when -t ran "
			 "out during %s",
			 x->t_total, step);
		return;
	case HTTP_PHASE_WAIT:
		snprintf(buf, len,
			 "no response %.1f s after connecting when -t ran "
			 "out during %s",
			 x->t_total - x->t_connect, step);
		return;
	case HTTP_PHASE_RECEIVE:
		break;
	}
	if (x->body_bytes == 0) {
		/* the headers came a moment ago: too soon to call it a stall */
		snprintf(buf, len,
			 "the headers came, no body yet when -t ran out during "
			 "%s (%s)",
			 step, sz);
		return;
	}
	rate_text(x->rate_Bps, rate, sizeof rate);
	snprintf(buf, len,
		 "still receiving at %s when -t ran out during %s (%s)", rate,
		 step, sz);
}

void http_fail_text(const struct http_xfer *x, char *buf, size_t len)
{
	const char *fam = addr_family_name(x->addr.ss_family);
	char sz[64];

	/* through a proxy, a failure to connect is the proxy's */
	if (x->o && x->o->proxy && x->fail >= HTTP_FAIL_REFUSED &&
	    x->fail <= HTTP_FAIL_CONNECT && len > 8) {
		int n = snprintf(buf, len, "proxy: ");
		struct http_xfer direct = *x;
		direct.o = NULL;
		http_fail_text(&direct, buf + n, len - (size_t)n);
		return;
	}

	size_text(x, sz, sizeof sz);
	switch (x->fail) {
	case HTTP_FAIL_NONE:
		buf[0] = '\0';
		return;
	case HTTP_FAIL_REFUSED:
		snprintf(buf, len, "connection refused");
		return;
	case HTTP_FAIL_UNREACHABLE:
		snprintf(buf, len, "unreachable (%s)",
			 errno_words(x->os_errno));
		return;
	case HTTP_FAIL_CONNECT_TIMEOUT:
		snprintf(buf, len, "connection timed out after %.1f s",
			 x->t_total);
		return;
	case HTTP_FAIL_CONNECT:
		snprintf(buf, len, "connection failed: %s",
			 x->os_errno ? strerror(x->os_errno) : x->error);
		return;
	case HTTP_FAIL_TLS:
		tls_text(x, buf, len);
		return;
	case HTTP_FAIL_TLS_STALLED:
		if (x->tls_answered)
			snprintf(buf, len,
				 "TLS handshake did not finish: stalled after "
				 "the server's first messages over %s "
				 "(typical of a Path MTU Discovery blackhole)",
				 fam);
		else
			snprintf(buf, len,
				 "TLS handshake did not finish: no answer to "
				 "the ClientHello within %.1f s over %s",
				 x->t_total, fam);
		return;
	case HTTP_FAIL_HEADER_FLOOD:
		snprintf(buf, len,
			 "header flood: more than %u KB of response header "
			 "lines without an end",
			 HTTP_HEADER_CAP >> 10);
		return;
	case HTTP_FAIL_CHUNKED: {
		const char *r = strstr(x->error, "::");
		snprintf(buf, len, "broken chunked body after %lld bytes: %s",
			 x->body_bytes, r ? r + 2 : x->error);
		return;
	}
	case HTTP_FAIL_DEADLINE:
		deadline_text(x, sz, buf, len);
		return;
	case HTTP_FAIL_NO_RESPONSE:
		snprintf(buf, len,
			 "transfer stalled: no response within %.1f s of "
			 "the request over %s (typical of a Path MTU "
			 "Discovery blackhole, or a hung server)",
			 x->t_total - x->t_connect, fam);
		return;
	case HTTP_FAIL_STALLED:
		/* the headers came, the full-size body segments did not */
		snprintf(buf, len,
			 "transfer stalled after %s%s over %s (typical of a "
			 "Path MTU Discovery blackhole)",
			 x->body_bytes || !x->header_bytes ? ""
							   : "the headers, ",
			 sz, fam);
		return;
	case HTTP_FAIL_CUT:
		if (x->header_bytes == 0 && x->body_bytes == 0)
			snprintf(buf, len,
				 "connection closed without a response");
		else
			snprintf(buf, len, "connection closed after %s", sz);
		return;
	case HTTP_FAIL_OTHER:
		snprintf(buf, len, "%s",
			 x->error[0] ? x->error : "transfer failed");
		return;
	}
	buf[0] = '\0';
}

void http_tls_text(const struct http_tls *t, char *buf, size_t len)
{
	char when[32] = "?";
	struct tm tm;

	if (!t->seen) {
		if (len)
			buf[0] = '\0';
		return;
	}
	if (t->not_after && gmtime_r(&t->not_after, &tm))
		strftime(when, sizeof when, "%Y-%m-%d", &tm);
	snprintf(buf, len, "%s, expires %s, issuer %s%s%s", t->subject, when,
		 t->issuer, t->san[0] ? ", SAN " : "", t->san);
}

long http_tls_days_left(const struct http_tls *t, time_t now)
{
	return (long)floor(difftime(t->not_after, now) / 86400);
}

bool http_body_has(const struct http_xfer *x, const char *needle)
{
	size_t n = strlen(needle);
	return x->body && memmem(x->body, x->body_len, needle, n) != NULL;
}

void http_digest_hex(const struct http_xfer *x, size_t n, char *buf, size_t len)
{
	size_t pos = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n && i < HTTP_DIGEST_LEN && pos + 3 <= len; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%02x",
					x->digest[i]);
}
