# syswatch - top-level driver. CMake does the building; this file installs
# what is missing and names the few things people run.
#
#   make demo    install, build, run the bundled slow-start scenario
#   make test    install, build, run every test (plus the sanitizer build)
#   make bench   the speed figures quoted in the README
#   make fuzz    the libFuzzer targets, FUZZ_SECONDS (600) each; fuzz-short: 20 s
#   make deb     the Debian package (tool, shim, man page, bash completion)
#
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
CMAKE_FLAGS ?=
JOBS       ?= 2

# Everything the build and the tests need: a test that lacks a tool skips,
# so a package missing here is a test that silently never runs
# (tests/test_deps.sh checks the hints the tests print against this list).
# chromium: the HTML timeline's screenshot test.
DEB_PACKAGES := cmake make gcc pkg-config libprotobuf-c-dev protobuf-c-compiler \
                libcriterion-dev libjson-c-dev libffi-dev fuse3 libfuse3-dev strace cppcheck \
                clang clang-tidy libclang-rt-14-dev \
                man-db bash-completion dpkg-dev chromium procps

.PHONY: all deps print-deps build demo test test-unit test-asan test-tsan test-deb deb fuzz fuzz-short bench lint tidy clean

all: build

# Install only what is missing; needs root (or sudo) the first time.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "syswatch: installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	  else echo "syswatch: need root to install:$$missing" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi; \
	command -v python3 >/dev/null || { echo "syswatch: python3 is needed for the demo and tests" >&2; exit 1; }

print-deps:
	@echo $(DEB_PACKAGES)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scenario/run_demo.sh $(BUILD)

test: build lint test-asan test-tsan fuzz-short test-deb
	cd $(BUILD) && ctest --output-on-failure -j 1

# The Debian package: cpack in the build directory (cmake/package.cmake).
deb: build
	cd $(BUILD) && cpack -G DEB

# The package installed into this system with dpkg -i, tried, and removed:
# a step of its own, so no ctest test ever sees a syswatch in /usr/bin
# (tests/test_deb.sh; skipped, saying why, when not root).
test-deb: deb
	tests/test_deb.sh $(BUILD)

# Unit tests again under ASan+UBSan (the shim itself is never sanitized:
# its runtime would be loaded into every traced program).
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DSYSWATCH_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -L unit -j 1

# libFuzzer needs clang; without it the fuzz step is skipped, saying so.
fuzz-short: FUZZ_SECONDS = 20
fuzz fuzz-short: build
	@if ! command -v clang >/dev/null; then \
	  echo "syswatch: clang not found, skipping the fuzz targets (apt-get install clang)"; \
	else \
	  CC=clang cmake -S . -B $(FUZZ_BUILD) -DSYSWATCH_FUZZ=ON -DSYSWATCH_TESTS=OFF \
	    $(CMAKE_FLAGS) >/dev/null && \
	  cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_trace fuzz_segment && \
	  tests/fuzz/run.sh $(FUZZ_BUILD) $(BUILD) $(FUZZ_SECONDS); \
	fi

# The ring's producer and consumer racing under ThreadSanitizer.
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DSYSWATCH_TSAN=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target tsan_ring
	cd $(TSAN_BUILD) && ctest --output-on-failure -L tsan -j 1

bench: build
	bench/run.sh $(BUILD)

# Static checks: the collector's folders (tests/check_layers.sh: no upward
# include, no circle), cppcheck over the shim and the collector (the
# X-macro expansions of the call table are beyond its preprocessor), then
# clang-tidy (.clang-tidy says which checks, and why some are off).
# The collector's folders (collector/layers.txt says which may use which).
COLLECTOR_DIRS := $(patsubst %/,%,$(sort $(dir $(wildcard collector/*/*.[ch] collector/analysis/*/*.[ch]))))

lint: build tidy
	tests/check_layers.sh collector $(BUILD)/collector
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --std=c11 -I include -I preload $(addprefix -I ,$(COLLECTOR_DIRS)) -I $(BUILD)/proto \
	  --suppress=missingIncludeSystem --suppress=unknownMacro:preload/wrap_lock.c \
	  preload collector

tidy: build
	clang-tidy -p $(BUILD) --quiet preload/*.c $(addsuffix /*.c,$(COLLECTOR_DIRS))

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
