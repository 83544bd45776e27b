# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# mbufcompat: FreeBSD's mbuf(9) allocator and KPI as a Linux module.
#
#   make                 build mbufcompat.ko against KDIR (default: the
#                        running kernel's headers); a production build
#   make MBUFCOMPAT_DEBUG=1   the same with the test and debug code
#                        (CONFIG_MBUFCOMPAT_DEBUG: debugfs workloads, fault
#                        injection); never for production
#   make demo            boot Debian's 6.12 kernel in QEMU and show the module
#   make check           every test: KUnit in UML 6.12 (debug) and 6.1, the
#                        module on Debian's 6.12 and 6.1 kernels in QEMU
#   make check STAGES="uml-6.1 qemu-6.1"   only some of them
#   make style           checkpatch --strict, shellcheck
#   make sparse          sparse (C=2) against Debian's 6.12 and 6.1 headers
#                        (debug build: every file)
#   make module-6.12     W=1 build against Debian's 6.12 headers (also 6.1),
#                        production and debug
#   make bench           the benchmarks (scripts/bench.sh)
#   make install         install into /lib/modules/<KDIR's release>/updates
#   make dkms-install    copy the sources to /usr/src/mbufcompat-<version>
#                        and add, build and install them with DKMS (for the
#                        running kernel, or KVER="<release>..."); DKMS then
#                        rebuilds the module for every new 6.1/6.12 kernel
#   make dkms-remove     remove every version from DKMS and /usr/src
#
# Test kernels, images and build dirs are cached in ~/.cache/mbufcompat
# (or $MBUFCOMPAT_CACHE).

KDIR ?= /lib/modules/$(shell uname -r)/build
# Set explicitly: the default differs between kernels (extra/ on 6.1).
INSTALL_MOD_DIR ?= updates
STAGES ?=

# Goals that need KDIR. Without it, say so in one line and point at the
# targets that bring their own kernels.
kdir-goals := all module install
ifneq ($(filter $(kdir-goals),$(or $(MAKECMDGOALS),all)),)
ifeq ($(wildcard $(KDIR)/Makefile),)
$(error no kernel build dir at $(KDIR): install linux-headers-$(shell uname -r) or pass KDIR=..., or try 'make demo' or 'make check', which need neither)
endif
endif

.PHONY: all module install clean demo check bench style sparse \
	module-6.1 module-6.12 dkms-install dkms-remove

all: module

module:
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

install: module
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		modules_install

# Works with or without KDIR: kbuild's clean when it can, and the build
# products in any case.
clean:
	@if [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	@find . -path ./.git -prune -o -type f \( -name '*.o' -o -name '*.ko' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' \
		-o -name '*.o.d' -o -name '*.dwo' -o -name modules.order \
		-o -name Module.symvers \) -print0 | xargs -0r rm -f

demo:
	@scripts/demo.sh

check:
	@scripts/check.sh $(STAGES)

bench:
	@scripts/bench.sh $(JSON)

style:
	@scripts/style.sh

sparse:
	@MBUFCOMPAT_WERROR=1 scripts/build.sh 6.12 C=2 MBUFCOMPAT_DEBUG=1 >/dev/null
	@MBUFCOMPAT_WERROR=1 scripts/build.sh 6.1 C=2 MBUFCOMPAT_DEBUG=1 >/dev/null

module-6.1 module-6.12:
	@MBUFCOMPAT_VERBOSE=1 MBUFCOMPAT_WERROR=1 \
		scripts/build.sh $(patsubst module-%,%,$@) W=1 >/dev/null
	@MBUFCOMPAT_VERBOSE=1 MBUFCOMPAT_WERROR=1 \
		scripts/build.sh $(patsubst module-%,%,$@) W=1 MBUFCOMPAT_DEBUG=1 >/dev/null

# The example drivers (examples/<name>/Kbuild), built beside the module by
# "make" against its Module.symvers, so they link to its exported KPI.
EXAMPLES := vtnet
.PHONY: examples
all: examples
examples: module
	@for e in $(EXAMPLES); do \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)/examples/$$e" \
			KBUILD_EXTRA_SYMBOLS="$(CURDIR)/Module.symvers" modules || exit 1; \
	done

# DKMS. The version's one place is dkms.conf. DKMS_SOURCETREE and
# DKMS_FLAGS (e.g. "--dkmstree DIR --installtree DIR --no-depmod") let the
# tests use private trees instead of /usr/src, /var/lib/dkms and
# /lib/modules. Only what a production build needs is copied: kunit/ is
# built only by in-tree KUnit configs, examples/ by "make examples".
DKMS ?= dkms
DKMS_SOURCETREE ?= /usr/src
DKMS_FLAGS ?=
KVER ?=
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf 2>/dev/null)
DKMS_SRC := $(DKMS_SOURCETREE)/mbufcompat-$(DKMS_VERSION)
DKMS_ARGS = --sourcetree "$(DKMS_SOURCETREE)" $(DKMS_FLAGS)
DKMS_KARGS = $(foreach k,$(KVER),-k "$(k)")
DKMS_TOP := dkms.conf Makefile Kbuild Kconfig
DKMS_DIRS := mbufcompat include

# The versions DKMS knows, from "dkms status" lines such as
# "mbufcompat/0.1.0, 6.12.117+deb12-cloud-amd64, x86_64: installed".
dkms-versions = $(DKMS) status $(DKMS_ARGS) -m mbufcompat | \
	sed -n 's|^mbufcompat/\([^,:]*\)[,:].*|\1|p' | sort -u

dkms-install:
	@command -v $(DKMS) >/dev/null || { echo "dkms not found: apt-get install dkms linux-headers-$$(uname -r)" >&2; exit 1; }
	@[ -n "$(DKMS_VERSION)" ] || { echo "no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
	@for v in $$($(dkms-versions)); do \
		[ "$$v" != "$(DKMS_VERSION)" ] || \
			$(DKMS) remove $(DKMS_ARGS) "mbufcompat/$$v" --all || exit 1; \
	done
	rm -rf "$(DKMS_SRC)"
	mkdir -p "$(DKMS_SRC)"
	find $(DKMS_DIRS) -type f -name '*.[ch]' ! -name '*.mod.c' -print0 | \
		tar --null -T - -cf - $(DKMS_TOP) | tar -xf - -C "$(DKMS_SRC)"
	$(DKMS) add $(DKMS_ARGS) "mbufcompat/$(DKMS_VERSION)"
	$(DKMS) build $(DKMS_ARGS) "mbufcompat/$(DKMS_VERSION)" $(DKMS_KARGS)
	$(DKMS) install $(DKMS_ARGS) "mbufcompat/$(DKMS_VERSION)" $(DKMS_KARGS)

dkms-remove:
	@command -v $(DKMS) >/dev/null || { echo "dkms not found" >&2; exit 1; }
	@for v in $$($(dkms-versions)); do \
		echo "$(DKMS) remove mbufcompat/$$v --all"; \
		$(DKMS) remove $(DKMS_ARGS) "mbufcompat/$$v" --all || exit 1; \
		rm -rf "$(DKMS_SOURCETREE)/mbufcompat-$$v"; \
	done
	rm -rf "$(DKMS_SRC)"
	@if [ -d /sys/module/mbufcompat ]; then \
		echo "mbufcompat is still loaded: modprobe -r mbufcompat"; fi
