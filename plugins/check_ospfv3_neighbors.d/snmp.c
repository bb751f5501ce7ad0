#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "check_ospfv3_neighbors.d/snmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "deadline.h"
#include "log.h"

static const oid state_col[] = {SNMPNBR_STATE_COL};
#define STATE_COL_LEN (sizeof state_col / sizeof state_col[0])
static const oid ospfv3_mib[] = {1, 3, 6, 1, 2, 1, 191};
static const oid if_name[] = {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1};
#define IF_NAME_LEN (sizeof if_name / sizeof if_name[0])

int snmpnbr_auth_type(enum snmpnbr_auth a)
{
	switch (a) {
	case SNMPNBR_AUTH_MD5:
		return NETSNMP_USMAUTH_HMACMD5;
	case SNMPNBR_AUTH_SHA:
		return NETSNMP_USMAUTH_HMACSHA1;
	case SNMPNBR_AUTH_SHA224:
		return NETSNMP_USMAUTH_HMAC128SHA224;
	case SNMPNBR_AUTH_SHA256:
		return NETSNMP_USMAUTH_HMAC192SHA256;
	case SNMPNBR_AUTH_SHA384:
		return NETSNMP_USMAUTH_HMAC256SHA384;
	case SNMPNBR_AUTH_SHA512:
		return NETSNMP_USMAUTH_HMAC384SHA512;
	case SNMPNBR_AUTH_NONE:
		break;
	}
	return NETSNMP_USMAUTH_NOAUTH;
}

int snmpnbr_priv_type(enum snmpnbr_priv p)
{
	switch (p) {
	case SNMPNBR_PRIV_DES:
		return USM_CREATE_USER_PRIV_DES;
	case SNMPNBR_PRIV_AES:
		return USM_CREATE_USER_PRIV_AES;
	case SNMPNBR_PRIV_AES192:
		return USM_CREATE_USER_PRIV_AES192;
	case SNMPNBR_PRIV_AES256:
		return USM_CREATE_USER_PRIV_AES256;
	case SNMPNBR_PRIV_NONE:
		break;
	}
	return USM_CREATE_USER_PRIV_NONE;
}

struct walk {
	void *sp;
	struct snmp_session *ss;
	const struct snmp_cfg *c;
	char peer[300];
	char *err;
	size_t errlen;
};

static bool is_auth_error(int liberr)
{
	return liberr == SNMPERR_AUTHENTICATION_FAILURE ||
	       liberr == SNMPERR_UNKNOWN_USER_NAME ||
	       liberr == SNMPERR_USM_AUTHENTICATIONFAILURE ||
	       liberr == SNMPERR_USM_UNKNOWNSECURITYNAME ||
	       liberr == SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL ||
	       liberr == SNMPERR_USM_DECRYPTIONERROR ||
	       liberr == SNMPERR_USM_UNKNOWNENGINEID ||
	       liberr == SNMPERR_DECRYPTION_ERR;
}

/* One request and its answer; resp is the caller's to free. */
static enum src_result ask(struct walk *w, int type, const oid *name,
			   size_t len, netsnmp_pdu **resp)
{
	netsnmp_pdu *pdu = snmp_pdu_create(type);
	int liberr = 0, syserr = 0;
	char *msg = NULL;
	long left = deadline_remaining_ms();

	if (type == SNMP_MSG_GETBULK) {
		pdu->non_repeaters = 0;
		pdu->max_repetitions = 25;
	}
	snmp_add_null_var(pdu, name, len);
	if (left < 50) {
		snmp_free_pdu(pdu);
		snprintf(w->err, w->errlen,
			 "SNMP: no time left to ask %s (%.1f s)", w->peer,
			 deadline_elapsed_s());
		return SRC_TIMEOUT;
	}
	/* Two tries within the time left, answered before the deadline. */
	w->ss->timeout = (left - 30) * 1000 / 2;
	w->ss->retries = 1;
	*resp = NULL;
	int st = snmp_sess_synch_response(w->sp, pdu, resp);
	if (st == STAT_TIMEOUT) {
		snprintf(w->err, w->errlen,
			 "SNMP: no answer from %s within %.1f s (agent down, "
			 "filtered, or a wrong community)",
			 w->peer, deadline_elapsed_s());
		return deadline_passed() ? SRC_TIMEOUT : SRC_UNREACHABLE;
	}
	if (st != STAT_SUCCESS || !*resp) {
		snmp_sess_error(w->sp, &liberr, &syserr, &msg);
		/* The synchronous call leaves the reason in the session or
		 * in the library's global, not always where sess_error
		 * looks. */
		if (!liberr)
			liberr = w->ss->s_snmp_errno;
		if (!liberr)
			liberr = snmp_errno;
		vlog(3, "SNMP: status %d, library error %d\n", st, liberr);
		snprintf(w->err, w->errlen, "SNMP: %s: %s", w->peer,
			 msg ? msg : "request failed");
		free(msg);
		if (*resp)
			snmp_free_pdu(*resp);
		*resp = NULL;
		return is_auth_error(liberr) ? SRC_ERROR : SRC_UNREACHABLE;
	}
	if ((*resp)->errstat != SNMP_ERR_NOERROR &&
	    (*resp)->errstat != SNMP_ERR_NOSUCHNAME) {
		snprintf(w->err, w->errlen, "SNMP: %s answered: %s", w->peer,
			 snmp_errstring((int)(*resp)->errstat));
		snmp_free_pdu(*resp);
		*resp = NULL;
		return SRC_ERROR;
	}
	return SRC_OK;
}

static bool end_of_view(const netsnmp_variable_list *v)
{
	return v->type == SNMP_ENDOFMIBVIEW || v->type == SNMP_NOSUCHOBJECT ||
	       v->type == SNMP_NOSUCHINSTANCE;
}

static enum src_result walk_states(struct walk *w, struct nbr_list *out)
{
	oid at[MAX_OID_LEN];
	size_t atlen = STATE_COL_LEN;

	memcpy(at, state_col, sizeof state_col);
	deadline_step("walking ospfv3NbrState at %s", w->peer);
	for (;;) {
		netsnmp_pdu *resp;
		enum src_result r = ask(w, SNMP_MSG_GETBULK, at, atlen, &resp);
		if (r != SRC_OK)
			return r;
		bool over =
		    resp->errstat == SNMP_ERR_NOSUCHNAME || !resp->variables;
		for (netsnmp_variable_list *v = resp->variables; v && !over;
		     v = v->next_variable) {
			if (end_of_view(v) ||
			    snmp_oid_compare(v->name, v->name_length, at,
					     atlen) <= 0) {
				/* The end, or an agent walking backwards:
				 * stop either way rather than loop. */
				over = true;
				break;
			}
			long value = v->type == ASN_INTEGER && v->val.integer
					 ? *v->val.integer
					 : -1;
			int took = snmpnbr_take(v->name, v->name_length, value,
						out, w->err, w->errlen);
			if (took < 0 || (took > 0 && v->type != ASN_INTEGER)) {
				if (took > 0)
					snprintf(w->err, w->errlen,
						 "SNMP: ospfv3NbrState is not "
						 "an INTEGER");
				snmp_free_pdu(resp);
				return SRC_MALFORMED;
			}
			if (took == 0) {
				over = true;
				break;
			}
			memcpy(at, v->name, v->name_length * sizeof(oid));
			atlen = v->name_length;
		}
		snmp_free_pdu(resp);
		if (over)
			return SRC_OK;
	}
}

/* No rows: an agent without the MIB at all (the routing daemon's AgentX
 * subagent not connected) must not read as "every neighbor missing". */
static enum src_result check_mib(struct walk *w)
{
	netsnmp_pdu *resp;
	enum src_result r =
	    ask(w, SNMP_MSG_GETNEXT, ospfv3_mib,
		sizeof ospfv3_mib / sizeof ospfv3_mib[0], &resp);
	if (r != SRC_OK)
		return r;
	const netsnmp_variable_list *v = resp->variables;
	bool has = v && !end_of_view(v) && resp->errstat == SNMP_ERR_NOERROR &&
		   v->name_length > 7 &&
		   memcmp(v->name, ospfv3_mib, sizeof ospfv3_mib) == 0;
	snmp_free_pdu(resp);
	if (has)
		return SRC_OK;
	snprintf(w->err, w->errlen,
		 "SNMP: %s serves no OSPFV3-MIB (1.3.6.1.2.1.191): is the "
		 "routing daemon's SNMP subagent connected?",
		 w->peer);
	return SRC_ERROR;
}

/* ifName for the rows' interfaces, in one GET; a row keeps "ifIndex N"
 * when the agent has no IF-MIB. */
static void name_ifaces(struct walk *w, struct nbr_list *out)
{
	netsnmp_pdu *pdu, *resp = NULL;
	oid name[IF_NAME_LEN + 1];
	size_t asked = 0;

	if (!out->n)
		return;
	pdu = snmp_pdu_create(SNMP_MSG_GET);
	memcpy(name, if_name, sizeof if_name);
	for (size_t i = 0; i < out->n && asked < 32; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup = dup || out->v[k].ifindex == out->v[i].ifindex;
		if (dup)
			continue;
		name[IF_NAME_LEN] = out->v[i].ifindex;
		snmp_add_null_var(pdu, name, IF_NAME_LEN + 1);
		asked++;
	}
	long left = deadline_remaining_ms();
	if (left < 100) {
		snmp_free_pdu(pdu);
		return;
	}
	deadline_step("asking %s for ifName", w->peer);
	w->ss->timeout = (left - 50) * 1000 / 2;
	w->ss->retries = 0;
	if (snmp_sess_synch_response(w->sp, pdu, &resp) != STAT_SUCCESS ||
	    !resp || resp->errstat != SNMP_ERR_NOERROR) {
		vlog(1, "SNMP: no ifName from %s; interfaces stay ifIndex N\n",
		     w->peer);
		if (resp)
			snmp_free_pdu(resp);
		return;
	}
	for (netsnmp_variable_list *v = resp->variables; v;
	     v = v->next_variable) {
		if (v->type != ASN_OCTET_STR ||
		    v->name_length != IF_NAME_LEN + 1)
			continue;
		for (size_t i = 0; i < out->n; i++)
			if (out->v[i].ifindex == v->name[IF_NAME_LEN])
				nbr_copy_word(
				    out->v[i].iface, sizeof out->v[i].iface,
				    (const char *)v->val.string, v->val_len);
	}
	snmp_free_pdu(resp);
}

static int set_v3(struct snmp_session *s, const struct snmp_cfg *c, char *err,
		  size_t errlen)
{
	size_t len;
	oid *p;

	s->securityName = (char *)c->user;
	s->securityNameLen = strlen(c->user);
	s->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	if (!c->auth_proto)
		return 0;
	p = sc_get_auth_oid(snmpnbr_auth_type(c->auth_proto), &len);
	if (!p) {
		snprintf(err, errlen,
			 "SNMP: this net-snmp lacks that "
			 "authentication protocol");
		return -1;
	}
	s->securityAuthProto = snmp_duplicate_objid(p, len);
	s->securityAuthProtoLen = len;
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (generate_Ku(s->securityAuthProto, (u_int)len,
			(const u_char *)c->auth_pass, strlen(c->auth_pass),
			s->securityAuthKey,
			&s->securityAuthKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen,
			 "SNMP: cannot derive the authentication "
			 "key (password shorter than 8?)");
		return -1;
	}
	s->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
	if (!c->priv_proto)
		return 0;
	p = sc_get_priv_oid(snmpnbr_priv_type(c->priv_proto), &len);
	if (!p) {
		snprintf(err, errlen,
			 "SNMP: this net-snmp lacks that privacy protocol");
		return -1;
	}
	s->securityPrivProto = snmp_duplicate_objid(p, len);
	s->securityPrivProtoLen = len;
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
			(const u_char *)c->priv_pass, strlen(c->priv_pass),
			s->securityPrivKey,
			&s->securityPrivKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen,
			 "SNMP: cannot derive the privacy key "
			 "(password shorter than 8?)");
		return -1;
	}
	s->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	return 0;
}

/* net-snmp reads no configuration, loads no MIB and keeps no state on
 * disk for us; its log goes nowhere (our errors say what went wrong). */
static void snmp_quiet_init(void)
{
	setenv("MIBS", "", 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	snmp_disable_log();
	init_snmp("check_ospfv3_neighbors");
}

enum src_result snmpnbr_fetch(const struct snmp_cfg *c, struct nbr_list *out,
			      char *err, size_t errlen)
{
	struct snmp_session s;
	struct walk w = {.c = c, .err = err, .errlen = errlen};
	enum src_result r;
	int liberr = 0, syserr = 0;
	char *msg = NULL;

	out->n = out->dropped = 0;
	snmp_quiet_init();
	snmpnbr_peer(c, w.peer, sizeof w.peer);
	snmp_sess_init(&s);
	s.peername = w.peer;
	long left = deadline_remaining_ms();
	s.timeout = (left > 100 ? left - 50 : 50) * 1000 / 2;
	s.retries = 1;
	if (c->version == 3) {
		s.version = SNMP_VERSION_3;
		if (set_v3(&s, c, err, errlen))
			return SRC_ERROR;
	} else {
		s.version = SNMP_VERSION_2c;
		s.community = (u_char *)c->community;
		s.community_len = strlen(c->community);
	}
	/* v3 asks the agent's engine id here, within s.timeout. */
	deadline_step("opening an SNMP session to %s", w.peer);
	w.sp = snmp_sess_open(&s);
	if (!w.sp) {
		snmp_error(&s, &liberr, &syserr, &msg);
		snprintf(err, errlen, "SNMP: cannot talk to %s: %s", w.peer,
			 msg ? msg : "session failed");
		free(msg);
		r = is_auth_error(liberr) ? SRC_ERROR : SRC_UNREACHABLE;
		if (deadline_passed())
			r = SRC_TIMEOUT;
		goto out;
	}
	w.ss = snmp_sess_session(w.sp);
	r = walk_states(&w, out);
	if (r == SRC_OK && out->n == 0)
		r = check_mib(&w);
	if (r == SRC_OK)
		name_ifaces(&w, out);
	vlog(1, "SNMP: %zu ospfv3NbrTable rows from %s\n", out->n, w.peer);
	snmp_sess_close(w.sp);
out:
	free(s.securityAuthProto);
	free(s.securityPrivProto);
	return r;
}
