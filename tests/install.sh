#!/bin/bash
# make install into a staging directory, then build an example against the
# installed headers, pkg-config file and shared library only, and run it
# against the installed teeq-sw: what a packager and a user would do. The
# headers go to <includedir>/teeq/ only, where another libteec's cannot
# clash with them, and pkg-config points there, so <tee_client_api.h> and
# <tee_client_api_extensions.h> still work. A plain make (make all) would
# install no package. The same for a loaded TA: built from a copy of its
# directory with the installed dev kit, installed by copying its .ta into
# the installed TA directory, and run by its host through the installed
# teeq-sw.
#   tests/install.sh BUILD_DIR RESULTS_DIR
set -u
build=$1 results=$2
stage=$(mktemp -d /tmp/teeq-install-XXXXXX)
log="$results/install.log"
prefix=/usr/local
mkdir -p "$results"
echo "== suite install ($build)"
ok=1
{
	make --no-print-directory O="$build" PREFIX=$prefix DESTDIR="$stage" \
		install &&
	PKG_CONFIG_PATH="$stage$prefix/lib/pkgconfig" \
		PKG_CONFIG_SYSROOT_DIR="$stage" pkg-config --cflags --libs teeq \
		>"$stage/flags" &&
	echo "pkg-config: $(cat "$stage/flags")" &&
	grep -q -- "-I$stage$prefix/include/teeq " "$stage/flags" &&
	! grep -q -- "-I$stage$prefix/include " "$stage/flags" &&
	[ -f "$stage$prefix/include/teeq/tee_client_api.h" ] &&
	[ -f "$stage$prefix/include/teeq/tee_client_api_extensions.h" ] &&
	[ -z "$(find "$stage$prefix/include" -maxdepth 1 -type f)" ] &&
	printf '#include <tee_client_api_extensions.h>\nint main(void)\n{\n\treturn TEEC_RegisterSharedMemoryFileDescriptor(0, 0, -1) ==\n\t       TEEC_ERROR_BAD_PARAMETERS ? 0 : 1;\n}\n' \
		>"$stage/ext.c" &&
	cc -std=c11 -Wall -Wextra -Werror "$stage/ext.c" $(cat "$stage/flags") \
		-o "$stage/ext" &&
	LD_LIBRARY_PATH="$stage$prefix/lib" "$stage/ext" &&
	! make --no-print-directory -n O="$build" all | grep -q deps.sh &&
	kit=$(PKG_CONFIG_PATH="$stage$prefix/lib/pkgconfig" \
		pkg-config --variable=ta_dev_kit_dir teeq-ta) &&
	tadir=$(PKG_CONFIG_PATH="$stage$prefix/lib/pkgconfig" \
		pkg-config --variable=ta_dir teeq-ta) &&
	echo "ta_dev_kit_dir: $kit, ta_dir: $tadir" &&
	cc -std=c11 -Wall -Wextra -Werror examples/hello_echo.c \
		$(cat "$stage/flags") -o "$stage/hello_echo" &&
	TEEQ_SOCKET="$stage/sw.sock" TEEQ_SW="$stage$prefix/bin/teeq-sw" \
		TEEQ_TA_DIR="$stage$tadir" LD_LIBRARY_PATH="$stage$prefix/lib" \
		"$stage/hello_echo" &&
	grep -q "^ExecStart=$prefix/bin/teeq-sw --kernel" \
		"$stage$prefix/lib/systemd/system/teeq-sw.service" &&
	grep -q "^ExecStart=$prefix/bin/teeq-supplicant --mode kernel" \
		"$stage$prefix/lib/systemd/system/teeq-supplicant.service" &&
	! nm -D --defined-only "$stage$prefix/lib/libteeq.so" |
		grep -v -E ' (TEEC_|teeq_(queue|prep|submit|reap|context|secure)|TEEQ_1)' &&
	cp -R examples/ta/hello_counter "$stage/hello_counter" &&
	make -C "$stage/hello_counter/ta" TA_DEV_KIT_DIR="$stage$kit" \
		CFG_WERROR=y &&
	cp "$stage"/hello_counter/ta/*.ta "$stage$tadir/" &&
	cc -std=c11 -Wall -Wextra -Werror "$stage/hello_counter/host/main.c" \
		$(cat "$stage/flags") -o "$stage/hello_counter/host/hello" &&
	TEEQ_SOCKET="$stage/sw.sock" TEEQ_SW="$stage$prefix/bin/teeq-sw" \
		TEEQ_TA_DIR="$stage$tadir" LD_LIBRARY_PATH="$stage$prefix/lib" \
		"$stage/hello_counter/host/hello"
} >"$log" 2>&1 || ok=0
# the installed teeq-sw was autostarted: stop it
pid=$("$stage$prefix/bin/teeq-sw" --socket "$stage/sw.sock" --stats 2>/dev/null |
	sed -n 's/^pid \([0-9]*\),.*/\1/p')
[ -n "$pid" ] && kill "$pid"
rm -rf "$stage"
if [ $ok = 1 ]; then
	echo "  PASS  install (headers in include/teeq, pkg-config, libteeq.so exports only the API, a TA built with the installed dev kit)"
	echo "1 0 0" >"$results/install.counts"
else
	echo "  FAIL  install"
	tail -n 20 "$log" | sed 's/^/        | /'
	echo "0 1 0" >"$results/install.counts"
fi
