# v6ops-plugins: plain GNU make. See README.md.
#   make            build common/libv6ops.a, every plugins/check_* and tools
#   make deps       install the Debian packages everything needs (root)
#   make check      deps + build + every test through prove
#   make demo       build, bring the model lab up, run every plugin, tear down
#   make install    PREFIX=/usr/local PLUGINDIR=... DESTDIR=...
#   make fuzz       FUZZ_SECONDS=N: every parser under libFuzzer (clang)
#   SANITIZE=1      build with AddressSanitizer and UBSan

PREFIX ?= /usr/local
PLUGINDIR ?= $(PREFIX)/lib/nagios/plugins
DESTDIR ?=
PKGS := libcurl libcares openssl libmnl jansson
PROVE ?= prove
PROVE_JOBS ?= 2

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
NFQ_LIBS := $(shell pkg-config --libs libnetfilter_queue 2>/dev/null)

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Icommon -Iplugins $(PKG_CFLAGS)
LDFLAGS += -Wl,--as-needed
ifeq ($(SANITIZE),1)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CFLAGS += $(SAN)
LDFLAGS += $(SAN)
endif

LIB := common/libv6ops.a
LIB_OBJ := $(patsubst %.c,%.o,$(wildcard common/*.c))
PLUGINS := $(patsubst %.c,%,$(wildcard plugins/check_*.c))
# A plugin's own logic: plugins/check_NAME.d/*.c, linked into check_NAME and
# into its unit test t/unit/test_NAME.
PLUGIN_OBJ := $(patsubst %.c,%.o,$(wildcard plugins/check_*.d/*.c))
own_obj = $(patsubst %.c,%.o,$(wildcard plugins/check_$(1).d/*.c))
# Libraries one plugin alone needs: LIBS_check_NAME (and its unit test's).
LIBS_check_ospfv3_neighbors = $(shell net-snmp-config --netsnmp-libs 2>/dev/null)
LIBS_test_ospfv3_neighbors = $(LIBS_check_ospfv3_neighbors)
UNITS := $(patsubst %.c,%,$(wildcard t/unit/test_*.c))
TOOLS := $(patsubst %.c,%,$(wildcard t/tools/*.c))
LAB_BIN := contrib/lab/nfq-delay
# Fuzz targets t/fuzz/fuzz_NAME.c; make check replays their seed corpora
# (t/data/fuzz/NAME) through t/fuzz/replay_NAME, built with the normal
# compiler. FUZZ_SRC_NAME: the plugin sources a target needs beside the
# library.
FUZZ_TARGETS := $(patsubst t/fuzz/fuzz_%.c,%,$(wildcard t/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(addprefix t/fuzz/replay_,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 60
FUZZ_SRC_rogue_ra = plugins/check_rogue_ra.d/ra_parse.c
OSPF_D = plugins/check_ospfv3_neighbors.d
FUZZ_SRC_ospfv3_frr = $(OSPF_D)/frr.c $(OSPF_D)/nbr.c
FUZZ_SRC_ospfv3_bird = $(OSPF_D)/bird.c $(OSPF_D)/nbr.c
FUZZ_SRC_ospfv3_snmp = $(OSPF_D)/snmprow.c $(OSPF_D)/nbr.c
# Plugins that need a raw socket get cap_net_raw at install time.
CAP_PLUGINS := $(filter $(addprefix plugins/,check_pmtu check_rogue_ra check_default_route_liveness),$(PLUGINS))

.PHONY: all deps check test unit integration demo plugins install install-files uninstall man clean fuzz configs FORCE
all: $(LIB) $(PLUGINS) $(UNITS) $(TOOLS) $(LAB_BIN) $(FUZZ_REPLAY)

# Rebuild everything when the flags change (e.g. SANITIZE=1 and back).
.build-flags: FORCE
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@

%.o: %.c .build-flags
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -MF $(@:.o=.dep) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(AR) rcs $@ $^

plugins/check_% t/unit/test_% t/tools/%: %.c
.SECONDEXPANSION:
plugins/check_%: plugins/check_%.o $$(call own_obj,$$*) $(LIB)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(LIB) $(PKG_LIBS) $(LIBS_$(notdir $@)) -lm -o $@
t/unit/test_%: t/unit/test_%.o $$(call own_obj,$$*) $(LIB)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(LIB) $(PKG_LIBS) $(LIBS_$(notdir $@)) -lm -o $@
t/tools/%: t/tools/%.o $(LIB)
	$(CC) $(LDFLAGS) $< $(LIB) $(PKG_LIBS) -lm -o $@
fuzz_obj = $(patsubst %.c,%.o,$(FUZZ_SRC_$(1)))
t/fuzz/replay_%: t/fuzz/fuzz_%.o t/fuzz/replay.o $$(call fuzz_obj,$$*) $(LIB)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(LIB) $(PKG_LIBS) -lm -o $@

# The engines' configuration from the plugins' option tables.
configs: $(PLUGINS)
	contrib/gen-configs

# clang's libFuzzer, with the library compiled in each target so that its
# code is instrumented too.
fuzz:
	@contrib/deps clang libclang-rt-14-dev xxd
	@t/fuzz/run $(FUZZ_SECONDS) "$(wildcard common/*.c)" "$(PKG_LIBS)" \
	  $(foreach t,$(FUZZ_TARGETS),$(t)="$(FUZZ_SRC_$(t))")

$(LAB_BIN): contrib/lab/nfq-delay.o
	$(CC) $(LDFLAGS) $< $(NFQ_LIBS) -o $@

deps:
	@contrib/deps

# A fresh make after deps, so pkg-config sees the libraries just installed.
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory test

test:
	SANITIZE=$(SANITIZE) timeout 1800 $(PROVE) -j$(PROVE_JOBS) --timer $(UNITS) t/*.t

unit: $(UNITS)
	$(PROVE) $(UNITS)

demo: deps
	@$(MAKE) --no-print-directory all
	contrib/lab/demo

# Man pages from each plugin's --help (help2man), so they say what it says.
MANDIR ?= $(PREFIX)/share/man
MANPAGES := $(patsubst plugins/%,build/man/%.1,$(PLUGINS))
man: $(MANPAGES)
build/man/%.1: plugins/%
	@mkdir -p build/man
	help2man --no-info --no-discard-stderr -N \
	  -n "$$(plugins/$* --help | sed -n 2p | sed 's/\.$$//')" -o $@ plugins/$*

plugins: $(PLUGINS)

# The files alone (the Debian package's build uses this: its postinst sets
# the capability on the installed system).
install-files: plugins man
	install -d $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(PLUGINS) $(DESTDIR)$(PLUGINDIR)/
	install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/

# Setting the capability needs root; a user gets the setcap line to run.
install: install-files
	@if [ "$$(id -u)" = 0 ] && command -v setcap >/dev/null; then \
	  for p in $(notdir $(CAP_PLUGINS)); do \
	    setcap cap_net_raw+ep $(DESTDIR)$(PLUGINDIR)/$$p && echo "setcap cap_net_raw+ep $$p"; \
	  done; \
	else \
	  echo "not root: run 'setcap cap_net_raw+ep' on $(notdir $(CAP_PLUGINS)) for raw-socket fallbacks"; \
	fi

# Removes exactly what install put there (the plugin directory too when
# it is left empty).
uninstall:
	rm -f $(addprefix $(DESTDIR)$(PLUGINDIR)/,$(notdir $(PLUGINS))) \
	  $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MANPAGES)))
	-rmdir $(DESTDIR)$(PLUGINDIR) 2>/dev/null

clean:
	rm -rf build
	rm -f common/*.o common/*.dep plugins/*.o plugins/*.dep t/unit/*.o t/unit/*.dep \
	  plugins/check_*.d/*.o plugins/check_*.d/*.dep \
	  t/tools/*.o t/tools/*.dep contrib/lab/*.o contrib/lab/*.dep \
	  t/fuzz/*.o t/fuzz/*.dep $(FUZZ_REPLAY) \
	  $(LIB) $(PLUGINS) $(UNITS) $(TOOLS) $(LAB_BIN) .build-flags

FORCE:
# Objects are kept: a second make rebuilds nothing.
.SECONDARY:
DEPS := $(LIB_OBJ:.o=.dep) $(PLUGIN_OBJ:.o=.dep) $(addsuffix .dep,$(PLUGINS) $(UNITS) $(TOOLS) $(LAB_BIN)) \
	$(patsubst %.c,%.dep,$(wildcard t/fuzz/*.c))
-include $(wildcard $(DEPS))
